/** Entry point: global styles and the app shell (which imports every page component). */
import './styles/global.css';
import './components/app-shell.ts';

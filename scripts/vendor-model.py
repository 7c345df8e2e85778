"""One-off model conversion steps for scripts/vendor-model.sh (run in a throwaway venv with
numpy, onnx and onnxruntime; the product never needs Python).

  vendor-model.py bert-from-safetensors MODEL_DIR OUT.onnx   build a BERT encoder ONNX graph
        (inputs input_ids, attention_mask, token_type_ids; output last_hidden_state) from the
        fp32 weights in MODEL_DIR/model.safetensors + config.json, with onnxruntime's fused CPU
        ops (Attention, BiasGelu, SkipLayerNormalization), check it against a numpy forward pass,
        then quantise it to int8 (dynamic, per-channel weights, QAttention) at OUT.onnx.
        Deterministic: the same inputs and package versions give the same bytes.
  vendor-model.py rename-and-quantize IN.onnx OUT.onnx      keep the (batch, seq, hidden) output of
        an exported encoder as last_hidden_state, then quantise it to int8
"""
import json
import os
import struct
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

OPSET = 17


def load_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, v in header.items():
        if name == '__metadata__' or v['dtype'] != 'F32':
            continue
        s, e = v['data_offsets']
        t = np.frombuffer(data[base + s:base + e], dtype=np.float32).reshape(v['shape'])
        out[name[5:] if name.startswith('bert.') else name] = t
    return out


def build_bert(weights, cfg):
    """A BERT encoder written with onnxruntime's fused CPU ops (com.microsoft Attention,
    BiasGelu, SkipLayerNormalization): fewer passes over memory, and quantize_dynamic turns
    Attention into the int8 QAttention kernel."""
    H = cfg['hidden_size']
    heads = cfg['num_attention_heads']
    eps = float(cfg.get('layer_norm_eps', 1e-12))
    nodes, inits = [], []

    def init(name, arr):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op, ins, out, domain='', **attrs):
        nodes.append(helper.make_node(op, ins, [out], name=f'n{len(nodes)}_{op}', domain=domain, **attrs))
        return out

    def w(key):
        return init(key, weights[key])

    def wt(key):
        return init(key + '.T', weights[key].T)

    init('c_zero1', np.array([0], dtype=np.int64))
    word = node('Gather', [w('embeddings.word_embeddings.weight'), 'input_ids'], 'emb_word', axis=0)
    seq = node('Shape', ['input_ids'], 'seq_len', start=1, end=2)
    pos = node('Slice', [w('embeddings.position_embeddings.weight'), 'c_zero1', seq, 'c_zero1'], 'emb_pos')
    typ = node('Gather', [w('embeddings.token_type_embeddings.weight'), 'token_type_ids'], 'emb_type', axis=0)
    x = node('Add', [word, pos], 'emb_sum0')
    x = node('SkipLayerNormalization', [x, typ, w('embeddings.LayerNorm.weight'), w('embeddings.LayerNorm.bias')],
             'emb_out', domain='com.microsoft', epsilon=eps)
    mask = node('Cast', ['attention_mask'], 'mask_i32', to=TensorProto.INT32)

    for i in range(cfg['num_hidden_layers']):
        p = f'encoder.layer.{i}.attention.self.'
        qkv_w = np.concatenate([weights[p + n + '.weight'].T for n in ('query', 'key', 'value')], axis=1)
        qkv_b = np.concatenate([weights[p + n + '.bias'] for n in ('query', 'key', 'value')])
        p = f'encoder.layer.{i}.'
        a = node('Attention', [x, init(p + 'qkv.weight', qkv_w), init(p + 'qkv.bias', qkv_b), mask], f'l{i}_ctx',
                 domain='com.microsoft', num_heads=heads)
        o = node('MatMul', [a, wt(p + 'attention.output.dense.weight')], f'l{i}_attn')
        x = node('SkipLayerNormalization', [o, x, w(p + 'attention.output.LayerNorm.weight'),
                 w(p + 'attention.output.LayerNorm.bias'), w(p + 'attention.output.dense.bias')],
                 f'l{i}_ln1', domain='com.microsoft', epsilon=eps)
        h = node('MatMul', [x, wt(p + 'intermediate.dense.weight')], f'l{i}_ff1')
        h = node('BiasGelu', [h, w(p + 'intermediate.dense.bias')], f'l{i}_gelu', domain='com.microsoft')
        o = node('MatMul', [h, wt(p + 'output.dense.weight')], f'l{i}_ff2')
        x = node('SkipLayerNormalization', [o, x, w(p + 'output.LayerNorm.weight'), w(p + 'output.LayerNorm.bias'),
                 w(p + 'output.dense.bias')], f'l{i}_ln2', domain='com.microsoft', epsilon=eps)

    nodes.append(helper.make_node('Identity', [x], ['last_hidden_state'], name='out'))
    ins = [helper.make_tensor_value_info(n, TensorProto.INT64, ['batch', 'sequence'])
           for n in ('input_ids', 'attention_mask', 'token_type_ids')]
    outs = [helper.make_tensor_value_info('last_hidden_state', TensorProto.FLOAT, ['batch', 'sequence', H])]
    graph = helper.make_graph(nodes, 'bert', ins, outs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', OPSET), helper.make_opsetid('com.microsoft', 1)],
                              producer_name='vendor-model.py')
    model.ir_version = 8
    return model


def numpy_bert(weights, cfg, ids, mask):
    from math import sqrt
    H = cfg['hidden_size']; heads = cfg['num_attention_heads']; d = H // heads
    eps = float(cfg.get('layer_norm_eps', 1e-12))

    def ln(x, p):
        m = x.mean(-1, keepdims=True); v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + eps) * weights[p + '.weight'] + weights[p + '.bias']

    def lin(x, p):
        return x @ weights[p + '.weight'].T + weights[p + '.bias']

    B, T = ids.shape
    x = (weights['embeddings.word_embeddings.weight'][ids] + weights['embeddings.position_embeddings.weight'][:T][None]
         + weights['embeddings.token_type_embeddings.weight'][0])
    x = ln(x, 'embeddings.LayerNorm')
    am = (1 - mask[:, None, None, :].astype(np.float32)) * -10000.0
    erf = np.vectorize(__import__('math').erf)
    for i in range(cfg['num_hidden_layers']):
        p = f'encoder.layer.{i}.'
        sp = lambda t: t.reshape(B, T, heads, d).transpose(0, 2, 1, 3)
        q, k, v = (sp(lin(x, p + 'attention.self.' + n)) for n in ('query', 'key', 'value'))
        a = q @ k.transpose(0, 1, 3, 2) / sqrt(d) + am
        a = np.exp(a - a.max(-1, keepdims=True)); a /= a.sum(-1, keepdims=True)
        c = (a @ v).transpose(0, 2, 1, 3).reshape(B, T, H)
        x = ln(x + lin(c, p + 'attention.output.dense'), p + 'attention.output.LayerNorm')
        h = lin(x, p + 'intermediate.dense')
        h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
        x = ln(x + lin(h, p + 'output.dense'), p + 'output.LayerNorm')
    return x


def mean_pool(h, mask):
    m = mask[..., None].astype(np.float32)
    v = (h * m).sum(1) / m.sum(1)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def check(model_path, weights, cfg, label, min_cos):
    import onnxruntime as ort
    rng = np.random.default_rng(0)
    ids = rng.integers(1000, 20000, size=(3, 24)).astype(np.int64)
    ids[:, 0] = 101
    mask = np.ones_like(ids); mask[1, 15:] = 0; mask[2, 6:] = 0
    ref = mean_pool(numpy_bert(weights, cfg, ids, mask), mask)
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    sess = ort.InferenceSession(model_path, opts, providers=['CPUExecutionProvider'])
    got = sess.run(None, {'input_ids': ids, 'attention_mask': mask, 'token_type_ids': np.zeros_like(ids)})[0]
    cos = (mean_pool(got, mask) * ref).sum(1)
    print(f'vendor-model.py: {label} vs numpy fp32 reference: cosine {", ".join(f"{c:.5f}" for c in cos)}')
    if cos.min() < min_cos:
        sys.exit(f'vendor-model.py: {label} differs from the reference (cosine {cos.min():.4f} < {min_cos})')


def quantize(src, dst):
    quantize_dynamic(src, dst, weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={'DefaultTensorType': TensorProto.FLOAT})


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ''
    if cmd == 'bert-from-safetensors':
        model_dir, out = sys.argv[2], sys.argv[3]
        cfg = json.load(open(os.path.join(model_dir, 'config.json')))
        weights = load_safetensors(os.path.join(model_dir, 'model.safetensors'))
        with tempfile.TemporaryDirectory() as tmp:
            fp32 = os.path.join(tmp, 'model.onnx')
            onnx.save(build_bert(weights, cfg), fp32)
            check(fp32, weights, cfg, 'fp32 ONNX', 0.99999)
            quantize(fp32, out)
        check(out, weights, cfg, 'int8 ONNX', 0.98)
    elif cmd == 'rename-and-quantize':
        src, out = sys.argv[2], sys.argv[3]
        m = onnx.load(src)
        g = m.graph
        hidden = [o for o in g.output if len(o.type.tensor_type.shape.dim) == 3][0]
        g.node.append(helper.make_node('Identity', [hidden.name], ['last_hidden_state']))
        value = helper.make_tensor_value_info('last_hidden_state', hidden.type.tensor_type.elem_type, ['batch', 'sequence', 384])
        del g.output[:]
        g.output.append(value)
        with tempfile.TemporaryDirectory() as tmp:
            mid = os.path.join(tmp, 'renamed.onnx')
            onnx.save(m, mid)
            quantize(mid, out)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()

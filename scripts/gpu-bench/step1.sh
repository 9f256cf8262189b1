# Device step 1: unpack Node and node_modules (LanceDB's native module comes in step 2), the Vulkan
# loader; prove the WebGPU provider on the GPU; generate the ViT-B/32-shaped model and 480 photos.
T0=$(date +%s)
mkdir -p node_modules && tar -xJf .gpu1/nm1.tar.xz -C node_modules || exit 1
# The CLIP tokenizer the test and bench models are generated with lives beside the checkout.
mkdir -p ../shared/clip && tar -xJf .gpu1/clip.tar.xz -C ../shared/clip || exit 1
for f in .gpu1/*.deb; do dpkg -x $f /; done; ldconfig
export PATH=$PWD/node_modules/.bin:$PATH
node --version; nvidia-smi -L; nproc; free -g | head -2
# 16 vCPUs may be 8 cores with two threads each: cores × b would then count on more than is there.
lscpu | grep -E '^(Model name|Thread|Core|Socket|CPU\(s\)|L3|NUMA node\(s\))' || true
ls /usr/local/nvidia/share/vulkan/icd.d/ /etc/vulkan/icd.d /usr/share/vulkan/icd.d 2>&1 | head
[ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] && export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
echo "export VK_DRIVER_FILES=$VK_DRIVER_FILES" > /tmp/vkenv
echo "unpacked in $(( $(date +%s) - T0 )) s"
cat > /tmp/wg.ts <<'JS'
import * as ort from 'onnxruntime-node';
import { makeTestModel } from './tests/support/test-model.ts';
const dir = await makeTestModel('/tmp/tiny');
const s = await ort.InferenceSession.create(dir + '/onnx/vision_model.onnx', { executionProviders: ['webgpu'] });
const px = new ort.Tensor('float32', new Float32Array(2 * 3 * 64 * 64).fill(0.5), [2, 3, 64, 64]);
const out = await s.run({ pixel_values: px });
console.log('webgpu tiny ok', Object.keys(out), out.image_embeds?.dims);
JS
cp /tmp/wg.ts ./wg-check.ts && timeout 120 node ./wg-check.ts 2>&1 | tail -5
echo "a done at $(( $(date +%s) - T0 )) s"
(timeout 200 node -e "import('./bench/vit-model.ts').then((m) => m.ensureVitModel())" &)
timeout 200 node -e "import('./bench/photos.ts').then(async () => { const { spawn } = await import('node:child_process'); const n = 480, p = 16; await Promise.all(Array.from({ length: p }, (_, k) => new Promise((r) => spawn(process.execPath, ['bench/gen-photos.ts', String(n), String(k), String(p)], { stdio: 'inherit' }).on('close', r)))); })"
while pgrep -f ensureVitModel > /dev/null; do sleep 1; done
ls bench/.cache/photos-12mp-v1 | wc -l; du -sh bench/.cache/*
echo "step1 done at $(( $(date +%s) - T0 )) s"

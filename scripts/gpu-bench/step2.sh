# Device step 2 (ARGS="..." adds bench flags to the main run): add LanceDB's native module, then one bench run on the GPU provider (a, b, c with the
# ratio of c to its bound, and b with every core decoding), c again with one libvips thread per
# decode, then (CHECK=1) a check that the GPU's embeddings match the CPU's.
T0=$(date +%s)
[ -x node_modules/.bin/node ] || { echo "step 1's files are gone (fresh machine)"; exit 3; }
tar -xJf .gpu2/nm2.tar.xz -C node_modules || exit 1
for f in .gpu1/*.deb; do dpkg -x $f /; done; ldconfig
[ -f ../shared/clip/tokenizer.json ] || { mkdir -p ../shared/clip && tar -xJf .gpu1/clip.tar.xz -C ../shared/clip; }
. /tmp/vkenv; export PATH=$PWD/node_modules/.bin:$PATH
echo "unpacked in $(( $(date +%s) - T0 )) s"
set -o pipefail
timeout 300 node bench/run.ts --only a,b,c --device webgpu --index-models vit --photos 480 --reps 2 --quiet-wait 0 $ARGS --json > $OUT/gpu.json 2> $OUT/gpu.log; echo "rc=$?"
tail -5 $OUT/gpu.log
node -e "import('./bench/report.ts').then(m => { const r = JSON.parse(require('fs').readFileSync(process.env.OUT + '/gpu.json', 'utf8')); console.log(m.formatTable(r)); })" | tee $OUT/gpu.txt
echo "gpu done at $(( $(date +%s) - T0 )) s"
# A second setting for c: by default one libvips thread per decode (libvips may otherwise start one
# per core for each decode in flight); VARIANT="..." for another.
timeout 120 node bench/run.ts --only c --device webgpu --index-models vit --photos 480 --reps 2 --quiet-wait 0 ${VARIANT:---sharp-concurrency 1} --json > $OUT/gpu-variant.json 2> $OUT/gpu-variant.log; echo "rc=$?"
node -e "const r = JSON.parse(require('fs').readFileSync(process.env.OUT + '/gpu-variant.json', 'utf8')), d = r.derived; const best = r.index.vit.full.reduce((a, x) => (!a || x.doneMs < a.doneMs ? x : a), null); console.log(process.env.VARIANT || '--sharp-concurrency 1', JSON.stringify({ c: d.vitImagesPerSec, steady: d.vitSteadyImagesPerSec, busy: d.embedBusyShare, threads: best && best.steadyThreads }))"
# Do the GPU's embeddings match the CPU's? (the app's own Embedder, both providers, same inputs)
[ "${CHECK:-0}" = 1 ] && timeout 120 node scripts/gpu-bench/provider-check.ts bench/.cache/vit-b32-v2 webgpu 2>&1 | tail -3 | tee $OUT/provider-check.txt
echo "all done at $(( $(date +%s) - T0 )) s"

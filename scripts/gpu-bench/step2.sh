# Device step 2: add LanceDB's native module, then one bench run on the GPU provider (a, b, c with the
# ratio of c to its bound), then the CPU provider's a and c on the same machine for comparison.
T0=$(date +%s)
[ -x node_modules/.bin/node ] || { echo "step 1's files are gone (fresh machine)"; exit 3; }
tar -xJf .gpu2/nm2.tar.xz -C node_modules || exit 1
for f in .gpu1/*.deb; do dpkg -x $f /; done; ldconfig
[ -f ../shared/clip/tokenizer.json ] || { mkdir -p ../shared/clip && tar -xJf .gpu1/clip.tar.xz -C ../shared/clip; }
. /tmp/vkenv; export PATH=$PWD/node_modules/.bin:$PATH
echo "unpacked in $(( $(date +%s) - T0 )) s"
set -o pipefail
timeout 330 node bench/run.ts --only a,b,c --device webgpu --index-models vit --photos 480 --reps 3 --quiet-wait 0 --json > $OUT/gpu.json 2> $OUT/gpu.log; echo "rc=$?"
tail -5 $OUT/gpu.log
node -e "import('./bench/report.ts').then(m => { const r = JSON.parse(require('fs').readFileSync(process.env.OUT + '/gpu.json', 'utf8')); console.log(m.formatTable(r)); })" | tee $OUT/gpu.txt
echo "gpu done at $(( $(date +%s) - T0 )) s"
timeout 150 node bench/run.ts --only a,c --index-models vit --photos 480 --reps 1 --quiet-wait 0 --json > $OUT/cpu.json 2> $OUT/cpu.log; echo "rc=$?"
node -e "const r = JSON.parse(require('fs').readFileSync(process.env.OUT + '/cpu.json', 'utf8')); console.log(JSON.stringify(r.derived), JSON.stringify(r.inference.perBatch))"
echo "all done at $(( $(date +%s) - T0 )) s"

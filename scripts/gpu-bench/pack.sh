#!/usr/bin/env bash
# Packs what the GPU benchmark needs for a lent machine that has no network and no Node:
# .gpu1/ (Node 22, node_modules without LanceDB's native module, the CLIP tokenizer, the Vulkan
# loader and glvnd .debs) and .gpu2/ (LanceDB's native module), each under the 64 MiB a call may
# carry. Run from the repository root after `npm ci`; add `/.gpu1/` and `/.gpu2/` to
# .git/info/exclude. Then: run `bash .gpu1/step1.sh` carrying .gpu1, and within 30 s
# `bash .gpu2/step2.sh` carrying .gpu2 on the same warm machine.
set -euo pipefail
ROOT=$PWD
TMP=$(mktemp -d)
mkdir -p .gpu1 .gpu2
cd node_modules
EX=(--exclude=./node --exclude=./.bin --exclude='./onnxruntime-node/bin/napi-v6/win32' --exclude='./onnxruntime-node/bin/napi-v6/darwin' --exclude='./onnxruntime-node/bin/napi-v6/linux/arm64'
  --exclude='./@lancedb/lancedb-linux-x64-gnu' --exclude='./electron' --exclude='./electron-*' --exclude='./@electron' --exclude='./@electron-internal' --exclude='./typescript' --exclude='./@rolldown' --exclude='./rolldown'
  --exclude='./playwright-core' --exclude='./app-builder-lib' --exclude='./app-builder-bin' --exclude='./lightningcss*' --exclude='./@typescript-eslint' --exclude='./svelte-check' --exclude='./eslint*' --exclude='./@eslint'
  --exclude='./vitest' --exclude='./@vitest' --exclude='./vite' --exclude='./node-gyp' --exclude='./postject' --exclude='./dmg-*' --exclude='./7zip-bin' --exclude='./builder-util*' --exclude='./@esbuild' --exclude='./esbuild')
tar -cf "$TMP/nm1.tar" "${EX[@]}" .
mkdir -p "$TMP/stage/.bin" && cp node/bin/node "$TMP/stage/.bin/node" && strip "$TMP/stage/.bin/node"
tar -rf "$TMP/nm1.tar" -C "$TMP/stage" ./.bin/node
xz -7 -T0 -c "$TMP/nm1.tar" > "$ROOT/.gpu1/nm1.tar.xz"
mkdir -p "$TMP/l/@lancedb" && cp -r @lancedb/lancedb-linux-x64-gnu "$TMP/l/@lancedb/" && strip --strip-unneeded "$TMP"/l/@lancedb/lancedb-linux-x64-gnu/*.node
tar -cf - -C "$TMP/l" . | xz -7 -T0 > "$ROOT/.gpu2/nm2.tar.xz"
cd "$ROOT"
tar -cJf .gpu1/clip.tar.xz -C ../shared/clip tokenizer.json tokenizer_config.json
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
mkdir -p /tmp/amd64/partial && apt-get $o update > /dev/null
(cd .gpu1 && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
cp scripts/gpu-bench/step1.sh .gpu1/ && cp scripts/gpu-bench/step2.sh .gpu2/
rm -rf "$TMP"
du -sh .gpu1 .gpu2

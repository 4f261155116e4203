#!/usr/bin/env bash
# Installs fauxqs and its Node 22 from the npm registry with `npm ci`, exactly as package-lock.json
# pins them; does nothing when node_modules already holds this lock's install. Run by the Maven
# build of src-test-fixtures (exec-maven-plugin), or by hand.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.baton-installed-package-lock.json
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp" && [ -x node_modules/.bin/node ]; then
  echo "fauxqs: already installed"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
echo "fauxqs: installed $(node_modules/.bin/node --version) and fauxqs $(grep -m1 '"version"' node_modules/fauxqs/package.json)"

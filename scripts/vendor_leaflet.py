"""Copy Leaflet's built files from node_modules (npm ci) into static/vendor/leaflet/.

    npm ci && .venv/bin/python scripts/vendor_leaflet.py

The copies are committed, so the app needs no npm to run; after a version bump in
package.json run this again and commit the result. Only what the map page loads is copied.
The source map is not shipped, so its comment is dropped from leaflet.js: the hashed static
storage of production fails the build on a reference to a missing file.
"""

import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "leaflet"
TARGET = ROOT / "static" / "vendor" / "leaflet"
FILES = ["dist/leaflet.js", "dist/leaflet.css", "LICENSE"]


def main() -> None:
    if not SOURCE.exists():
        raise SystemExit("node_modules/leaflet is missing: run `npm ci` first")
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copy2(SOURCE / name, TARGET / Path(name).name)
    script = TARGET / "leaflet.js"
    script.write_text(re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", script.read_text()))
    shutil.copytree(SOURCE / "dist" / "images", TARGET / "images", dirs_exist_ok=True)
    version = json.loads((SOURCE / "package.json").read_text())["version"]
    (TARGET / "VERSION").write_text(version + "\n")
    print(f"leaflet {version} → {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

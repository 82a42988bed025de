# Shared by bin/run and bin/test: a virtualenv in .venv, created on first use.
ensure_venv() {
    if [ -x .venv/bin/python ]; then
        return
    fi
    if ! python3 -m venv .venv 2>/dev/null; then
        # Debian's python3 ships venv separately.
        rm -rf .venv
        if command -v apt-get >/dev/null 2>&1; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
        fi
        python3 -m venv .venv
    fi
    .venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip
}

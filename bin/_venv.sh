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

# Install interview-bot (editable) with the given extras, only when pyproject.toml changed since
# the last install or those extras were not installed yet: .venv/.installed records the file's
# hash and the extras, so `bin/run` starts without reinstalling (about 9 s) every time.
ensure_installed() {  # ensure_installed [EXTRA]
    local extra=${1:-} stamp=.venv/.installed digest
    digest=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ -x .venv/bin/interview-bot ] && grep -qx "pyproject $digest" "$stamp" \
        && { [ -z "$extra" ] || grep -qx "extra $extra" "$stamp"; }; then
        return
    fi
    echo "installing interview-bot${extra:+[$extra]} into .venv (pyproject.toml changed)"
    .venv/bin/pip install --quiet --disable-pip-version-check -e ".${extra:+[$extra]}"
    { echo "pyproject $digest"; if [ -n "$extra" ]; then echo "extra $extra"; fi; } > "$stamp"
}

"""search.api.preload: what a server loads once before forking its workers."""

import subprocess
import sys


def test_preload_loads_the_crf_and_the_backend_in_this_process():
    # A fresh interpreter: another test may already have loaded them in this one.
    code = (
        "import sys; from search import api; from search.text import crf;"
        "assert crf._crf.cache_info().currsize == 0;"
        "assert 'search.read.engine' not in sys.modules;"
        "api.preload();"
        "assert crf._crf.cache_info().currsize == 1;"
        "assert 'search.read.engine' in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

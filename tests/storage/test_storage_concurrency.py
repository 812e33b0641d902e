"""Two real processes ingesting into one database at the same moment both get everything stored."""
import subprocess
import sys
import time
from pathlib import Path

from storage import Storage

REPO = Path(__file__).resolve().parents[2]
ARTICLES_PER_PROCESS = 15

# Each writer opens the (possibly not yet created) database itself, waits for the start
# signal so both really run together, then ingests its articles one transaction each.
WRITER = """
import sys, time, os
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from storage import Storage
from storage_helpers import frame, movement
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.005)
storage = Storage(sys.argv[1])
for number in range(int(sys.argv[5])):
    rows = [movement(headcount=100 + number, evidence=f"{sys.argv[2]} {number} {part}") for part in range(5)]
    storage.ingest(f"Writer {sys.argv[2]}, article {number}.", deployments=frame(*rows), extractor_version="1")
"""


def test_two_processes_ingesting_at_once_both_succeed(db_url, tmp_path):
    go = tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, db_url, name, str(go), str(Path(__file__).parent),
                                 str(ARTICLES_PER_PROCESS)], cwd=REPO, stderr=subprocess.PIPE, text=True)
               for name in ("A", "B")]
    time.sleep(0.5)  # both interpreters started and waiting
    go.touch()
    errors = [writer.communicate(timeout=120)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], errors

    with Storage(db_url) as storage:
        assert len(storage.articles()) == 2 * ARTICLES_PER_PROCESS
        assert len(storage.deployments()) == 2 * ARTICLES_PER_PROCESS * 5

"""Reading in a child process: the same document, within its memory and time, uploads at once."""

import pathlib
import pickle
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from servplan.imports.readers.base import UnreadableFile
from servplan.imports.reading import read_document
from servplan.imports.sandbox import READ_MEMORY_BYTES, read_sandboxed, run_bounded
from servplan.offices.domain import find_office
from servplan.offices.models import ApiToken, Role
from tests.imports import hostile
from tests.imports.forms import WRITERS, small_sheet

SEED = (Path(__file__).parent / "imports" / "fixtures" / "seed-000.txt").read_bytes()


@pytest.mark.parametrize("suffix", list(WRITERS))
def test_a_form_reads_as_it_does_in_process(suffix):
    data = WRITERS[suffix](small_sheet().blocks())
    assert read_sandboxed(f"form{suffix}", data) == read_document(f"form{suffix}", data)


def test_the_seed_reads_as_it_does_in_process():
    assert read_sandboxed("seed.txt", SEED) == read_document("seed.txt", SEED)


def test_the_readers_refusal_comes_through():
    with pytest.raises(UnreadableFile, match="0 位元組"):
        read_sandboxed("empty.docx", b"")


def test_a_child_that_needs_more_memory_is_stopped():
    with pytest.raises(UnreadableFile, match=f"超過 {READ_MEMORY_BYTES // 2**20} MB 記憶體"):
        run_bounded(bytearray, 2 * READ_MEMORY_BYTES)
    # The worker itself never held it.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < READ_MEMORY_BYTES


def test_a_child_that_takes_too_long_is_killed():
    started = time.monotonic()
    with pytest.raises(UnreadableFile, match="無法在 1 秒內讀取"):
        run_bounded(time.sleep, 60, seconds=1)
    assert time.monotonic() - started < 30


def test_a_bug_in_a_reader_is_not_taken_for_the_files_fault():
    with pytest.raises(RuntimeError, match="ValueError"):
        run_bounded(int, "not a number")


def test_only_the_documents_classes_come_back():
    with pytest.raises(pickle.UnpicklingError, match="pathlib"):
        run_bounded(pathlib.PurePosixPath, "/etc/passwd")


def test_five_hostile_uploads_at_once_and_the_server_still_answers(live_server, make, shipped):
    user = make.user(role=Role.CLERK, office=find_office("台東"))
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)}"}
    files = {name: build() for name, build in hostile.REFUSED.items()}
    worker_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def upload(name: str) -> httpx.Response:
        return httpx.post(
            f"{live_server.url}/api/imports/",
            files={"file": (name, files[name])},
            data={"dry_run": "true"},
            headers=headers,
            timeout=120,
        )

    with ThreadPoolExecutor(max_workers=len(files)) as pool:
        responses = list(pool.map(upload, files))
    for response in responses:
        assert response.status_code == 400, response.text
        assert [i["code"] for i in response.json()["issues"]] == ["unreadable"]
    assert (
        httpx.post(
            f"{live_server.url}/api/imports/",
            files={"file": ("seed.txt", SEED)},
            data={"dry_run": "true"},
            headers=headers,
            timeout=120,
        ).json()["total"]["stated"]
        == 939
    )
    # No reading child grew past its limit, and the server (this process) read none itself.
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert children * 1024 < READ_MEMORY_BYTES + 256 * 2**20
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - worker_before
    assert growth * 1024 < 256 * 2**20

"""Benchmark: warm milliseconds per application form and per points notice, and their sizes.

One ``Renderer`` (one Typst compiler, as the worker uses), warmed up, then ``--renders`` forms and
notices, each for a different applicant (name, ID number, application number, mobile and code all
change), so the compiler's memoisation cannot answer from an earlier render. The form is the full
fixture: 12 resume entries, a spouse and 4 children, every scoring item (5 A4 pages). Content
building (``form_content`` / ``notice_content``) and the QR code are included in the time. Wall
time and the process's CPU time are both printed (on a shared machine the wall time grows with the
load average).
Goals: form <= 30 ms, notice <= 15 ms.

Run: ``.venv/bin/python -m benchmarks.documents [--renders N]``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from services.documents.rendering.content import form_content, notice_content
from services.documents.rendering.renderer import Renderer, qr_svg
from shared.platform.integration import Sealing
from shared.platform.sealing import Keyring, new_key_line
from tests.support import documents as fixtures
from tests.support.pdf import reader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    sealing = Sealing(Keyring.parse(new_key_line()))
    started = time.perf_counter()
    renderer = Renderer()
    cases = []
    for variant in range(args.warmup + args.renders):
        form = fixtures.full_form(variant)
        submitted = fixtures.submitted(sealing, variant=variant, form=form)
        cases.append((form, submitted, fixtures.approved(submitted)))

    def form_pdf(index: int) -> bytes:
        form, submitted, _ = cases[index]
        content = form_content(submitted, form)
        return renderer.render("form", content, timestamp=submitted.submitted_at)

    def notice_pdf(index: int) -> bytes:
        form, _, approved = cases[index]
        code = f"{index:04d}-Q9XD-4TNB-H8VR"
        url = f"https://jifen.example.gov.cn/documents/verify/{code}"
        content = notice_content(approved, form, version=1, verification_code=code, verify_url=url)
        return renderer.render("notice", content, timestamp=approved.approved_at, qr=qr_svg(url))

    first = form_pdf(0)
    print(
        f"first form in a fresh renderer (fonts, compiler): {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    for index in range(1, args.warmup):
        form_pdf(index)
        notice_pdf(index)
    results = {}
    for name, render in (("form", form_pdf), ("notice", notice_pdf)):
        times, cpu, sizes, pages = [], [], [], 0
        for index in range(args.warmup, args.warmup + args.renders):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            pdf = render(index)
            times.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
            sizes.append(len(pdf))
            pages = len(reader(pdf).pages)
        results[name] = (
            statistics.median(times),
            min(times),
            statistics.median(cpu),
            statistics.median(sizes),
            pages,
        )
    print(f"machine: {platform.platform()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"cores: {os.cpu_count()}, load average at the end: {os.getloadavg()[0]:.2f}")
    print(f"renders per kind: {args.renders} (different applicants), warm")
    for name, (median, best, cpu_median, size, pages) in results.items():
        print(
            f"{name:7s} median {median:6.1f} ms  best {best:6.1f} ms  cpu median {cpu_median:6.1f} ms"
            f"  size {size / 1024:6.1f} KB  pages {pages}"
        )
    assert first


if __name__ == "__main__":
    main()

"""Time and peak memory to ingest a 24-megapixel JPEG and make all its renditions.

Run: DJANGO_DEBUG=1 .venv/bin/python bench/ingest_images.py
Uses a throwaway SQLite database and media folder; prints figures and ratios.
The budget: peak memory (RSS) under 400 MB.
"""

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BUDGET_MB = 400

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="newsroom-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from PIL import ImageDraw  # noqa: E402

from articles.images.models import Image  # noqa: E402
from articles.images.renditions import ensure_renditions  # noqa: E402
from articles.images.uploads import check_upload, ingest  # noqa: E402


def maxrss_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def camera_jpeg(width=6000, height=4000):
    """A photo-like 24 MP JPEG: gradients and shapes compress like a real photo."""
    image = PILImage.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for step in range(0, width, 400):
        draw.ellipse((step, step // 2, step + 900, step // 2 + 700), fill=(200, step % 255, 90))
    buffer = io.BytesIO()
    exif = PILImage.Exif()
    exif[0x0112] = 6
    image.save(buffer, "JPEG", quality=88, exif=exif.tobytes())
    return buffer.getvalue()


def main():
    call_command("migrate", verbosity=0)
    # Made in a child process, so its memory does not count towards ours.
    sample = Path(workdir) / "camera.jpg"
    subprocess.run([sys.executable, __file__, "--make-sample", str(sample)], check=True)
    data = sample.read_bytes()
    baseline = maxrss_mb()
    print(f"Upload: 6000×4000 JPEG (24 MP), {len(data) / 1_048_576:.1f} MB, EXIF orientation 6")
    print(f"Process RSS before ingest (Python, Django, test image): {baseline:.0f} MB")

    tracemalloc.start()
    started = time.perf_counter()
    checked = check_upload(SimpleUploadedFile("photo.jpg", data))
    checked_at = time.perf_counter()
    image = Image(title="Bench")
    pixels = ingest(checked, image)
    image.save()
    ingested_at = time.perf_counter()
    renditions = ensure_renditions(image, pixels)
    finished = time.perf_counter()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak = maxrss_mb()

    print(f"Validate (full decode, structure walk): {checked_at - started:6.2f} s")
    print(f"Ingest (upright, sRGB, re-encode):      {ingested_at - checked_at:6.2f} s")
    print(f"{len(renditions)} renditions:                        {finished - ingested_at:6.2f} s")
    print(f"Total:                                  {finished - started:6.2f} s")
    print(f"Peak Python allocations (tracemalloc):  {traced_peak / 1_048_576:6.0f} MB")
    print(
        f"Peak process memory (maxrss):           {peak:6.0f} MB "
        f"({peak / BUDGET_MB:.0%} of the {BUDGET_MB} MB budget)"
    )
    print(
        f"Peak growth during ingest:              {peak - baseline:6.0f} MB "
        f"({(peak - baseline) / (24 * 3):.1f}× one decoded 24 MP RGB frame of 72 MB)"
    )
    if peak >= BUDGET_MB:
        print("OVER BUDGET")
        sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--make-sample"]:
        Path(sys.argv[2]).write_bytes(camera_jpeg())
    else:
        main()

"""A PDF worker process for pdf.Batch: requests on stdin, PDFs on stdout (no Django needed)."""

import sys

from servplan.documents.pdf import serve

if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)

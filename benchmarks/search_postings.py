"""What the search postings cost: the first search of each field (it builds the field's
postings), the retained memory per customer, and a selective search afterwards.

Run from the project root (not part of the test suite)::

    python benchmarks/search_postings.py                  # 100,000 customers (timing), 20,000 (memory)
    python benchmarks/search_postings.py --customers 20000 --memory-customers 5000

Each customer has an email, a two-word name and one metadata key. Timings are wall clock
(``perf_counter``) of one search each, then the median of 200 selective searches. Memory is ``tracemalloc``'s traced total after
``gc.collect()``, before and after each field's first search, divided by the number of customers.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakecheckout import FakeCheckout  # noqa: E402

QUERIES = {
    "email": "email:'c5@example.com'",
    "metadata": "metadata['tier']:'gold'",
    "name": "name:'cust'",
}


def world(customers: int) -> FakeCheckout:
    fake = FakeCheckout()
    for number in range(customers):
        fake.customers.create(
            email=f"c{number}@example.com", name=f"Cust {number}", metadata={"tier": "gold"}
        )
    return fake


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--memory-customers", type=int, default=20_000)
    args = parser.parse_args()

    fake = world(args.customers)
    gc.collect()
    print(f"{args.customers:,} customers: the first search of each field (builds its postings)")
    for field, query in QUERIES.items():
        started = time.perf_counter()
        fake.customers.search(query=query)
        print(f"  {field:<9} {1e3 * (time.perf_counter() - started):8.0f} ms")
    times = []
    for _ in range(200):
        started = time.perf_counter()
        fake.customers.search(query=QUERIES["email"])
        times.append(time.perf_counter() - started)
    print(f"  then {QUERIES['email']}: {1e6 * statistics.median(times):.0f} µs (median of 200)")

    del fake
    gc.collect()
    tracemalloc.start()
    fake = world(args.memory_customers)
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    print(f"{args.memory_customers:,} customers: memory the postings keep, per customer")
    for field, query in QUERIES.items():
        fake.customers.search(query=query)
        gc.collect()
        now = tracemalloc.get_traced_memory()[0]
        print(f"  {field:<9} {(now - before) / args.memory_customers:8.0f} B")
        before = now


if __name__ == "__main__":
    main()

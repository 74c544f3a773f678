"""Workloads shared by the tests and the benchmarks: concurrent stewards
(:mod:`tests.workloads.stewards`) and writers under a backup
(:mod:`tests.workloads.writers`). The benchmarks in ``bench/`` run them big;
the tests run them small."""

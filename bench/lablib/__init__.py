"""bench/lab.py's parts (standard library only): the matrix and its options (plan), the servers
(servers), what is measured per run (probe), and the machine facts and versions (facts)."""

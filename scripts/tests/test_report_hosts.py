"""Proves REPORT.md says which machine ran what in a two-host run (--server-host / --server-netns:
the `hosts` note and the server machine's metadata) and adds nothing for a one-machine run."""
import os
import tempfile
import unittest

import helpers
from benchlib import gbjson, report_md

SAMPLES = {"net_sequential/ringcore/proto:echo/mode:keepalive": {"requests": [100, 100], "errors": [0, 0]}}
TWO_HOSTS = {
    "date": "2026-11-25T00:00:00", "cpus": "2", "kernel": "Linux 6.18.0 x86_64",
    "server_host": "root@10.213.1.2", "server_address": "10.213.1.2", "server_kernel": "Linux 6.1.0 aarch64",
    "server_cpu_model": "Neoverse-N1", "server_cpus": "64", "server_pinning": "server cpu 0 (taskset)",
    "hosts": "servers (backend serve): root@10.213.1.2 (network namespace ringcore-42, created by this run); "
             "load generator and file workloads: vm (this machine)",
}


class ReportHosts(unittest.TestCase):
    def machine(self, context):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bench.json")
            helpers.write_json(path, helpers.gb_doc(SAMPLES, context=context))
            return report_md.machine_section(gbjson.load(path), "run")

    def test_two_host_run_names_both_machines(self):
        md = self.machine(TWO_HOSTS)
        self.assertIn("| hosts | servers (backend serve): root@10.213.1.2 (network namespace ringcore-42, "
                      "created by this run); load generator and file workloads: vm (this machine) |", md)
        self.assertIn("| server machine | root@10.213.1.2: Neoverse-N1 (64 CPUs), Linux 6.1.0 aarch64; "
                      "pinning server cpu 0 (taskset) |", md)

    def test_one_machine_run_has_no_server_rows(self):
        context = {k: v for k, v in TWO_HOSTS.items() if not k.startswith("server_") and k != "hosts"}
        md = self.machine(context)
        self.assertNotIn("server machine", md)
        self.assertNotIn("| hosts |", md)


if __name__ == "__main__":
    unittest.main()

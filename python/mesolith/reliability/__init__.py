"""Reliability tooling: resumable stage runs (:mod:`.resume`), numerical-fault checks
(:mod:`.faults`), and the cases behind ``mesolith validate --reliability`` (:mod:`.report`).

The submodules are imported where needed, so that importing one stays cheap.
"""

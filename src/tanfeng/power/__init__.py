"""The new-type power system (新型电力系统) on PyPSA: network, plan levers, studies and results.

Pure domain code: it reads its own data files and calls PyPSA, linopy and HiGHS; it imports nothing from
the store, the web or the command line.
"""

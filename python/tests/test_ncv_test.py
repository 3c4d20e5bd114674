"""`ncv test` itself: it reports and fails when a test fails."""


def test_a_failing_test_makes_ncv_test_exit_non_zero(run_ncv):
    p = run_ncv("test", "--ctest-regex", "tblib_tests", "--pytest", "python/tests/fixtures/failing_case.py")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "100% tests passed" in p.stdout  # the CTest part ran and passed
    assert "1 failed" in p.stdout
    assert "ncv test: CTest passed, pytest FAILED" in p.stdout


def test_ncv_test_passes_on_passing_tests(run_ncv):
    p = run_ncv("test", "--ctest-regex", "tblib_tests", "--pytest", "python/tests/test_config.py")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "ncv test: CTest passed, pytest passed" in p.stdout

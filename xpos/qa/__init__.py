"""The QA runner: YAML scenarios of scripted swipes, keys and expectations, run headless.

``xpos qa run PATH…`` (:mod:`xpos.qa.cli`), the pytest plugin
(:mod:`xpos.qa.pytest_plugin`) and the format in docs/qa.md.
"""

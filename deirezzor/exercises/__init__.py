"""The key file of the self-checks: ``keys.json``, written by ``make build`` (tools/build.py).

Nothing here is written by hand: an exercise is written once, in its instructor
notebook (docs/writing-an-exercise.md).  The file holds each exercise's public
answer shape and salted hashes of its typical mistakes with their hints; it holds
no accepted answer.
"""

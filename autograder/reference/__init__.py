"""Trusted implementations, one module per assignment id.

The graders use them to build expected values and costs to gradient-check
against; the kit's tests grade them to prove every grader gives full marks to
a right answer.  They are never shown to students.
"""

"""How well ``autograder.diagnose`` names bugs, on the variant catalogue.

    OPENBLAS_NUM_THREADS=1 python bench/diagnosis.py

For every wrong variant (autograder/variants/<id>.py) taken as a student's
answer: named correctly, named wrongly (must be 0), or not named.  For every
right variant: named at all (must be 0).  Then the same with the variant left
out of the catalogue (a bug nobody listed): whatever is named then is another
variant's name, printed so a reader can judge whether the two compute the
same thing.
"""
from autograder.assignments import ids as known_assignments
from autograder.diagnose import evaluate


def main():
    totals = [0, 0, 0, 0, 0]     # wrong variants, named right, named wrong, right variants, named
    for assignment in known_assignments():
        rows = evaluate(assignment)
        wrong = [(v, n) for v, n in rows if v.expect is not None]
        right = [(v, n) for v, n in rows if v.expect is None]
        figures = [len(wrong), sum(n == v.name for v, n in wrong),
                   sum(n is not None and n != v.name for v, n in wrong),
                   len(right), sum(n is not None for _, n in right)]
        totals = [a + b for a, b in zip(totals, figures)]
        print(f"{assignment}: {figures[1]}/{figures[0]} wrong variants named correctly, "
              f"{figures[2]} named wrongly; {figures[4]}/{figures[3]} right variants named")
        for v, n in wrong:
            if n != v.name:
                print(f"    not named: {v.function}: {v.name}" if n is None
                      else f"    WRONG: {v.function}: {v.name} -> {n}")
        for v, n in evaluate(assignment, leave_one_out=True):
            if n is not None and v.expect is not None:
                print(f"    left out of the catalogue, {v.function}: {v.name!r} is named {n!r}")
    print(f"all: {totals[1]}/{totals[0]} wrong variants named correctly "
          f"({totals[1] / totals[0]:.0%}), {totals[2]} named wrongly; "
          f"{totals[4]}/{totals[3]} right variants named")


if __name__ == "__main__":
    main()

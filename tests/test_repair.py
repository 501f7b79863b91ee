"""grading.repair on small notebooks, without nbgrader: which cell stands for each nbgrader cell of the release, and
what the note says. (The whole pipeline on a corpus of edited submissions is tests/test_edited_submissions.py.)"""

import copy

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grading.repair import grading_note, repair


def nbgrader(cell, grade_id, *, grade=False, solution=False, points=None):
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": grade, "solution": solution,
                                 "schema_version": 3, "task": False, **({"points": points} if points else {})}
    return cell


def release():
    return new_notebook(cells=[
        new_markdown_cell("# Lab"),
        nbgrader(new_code_cell("def f(x):\n    raise NotImplementedError()"), "f", solution=True),
        nbgrader(new_code_cell("check(f)"), "test_f", grade=True, points=2),
        nbgrader(new_code_cell("def g(x):\n    raise NotImplementedError()"), "g", solution=True),
        nbgrader(new_code_cell("check(g)"), "test_g", grade=True, points=3),
    ])


def ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def test_an_intact_notebook_is_left_as_it_is():
    nb = release()
    before = copy.deepcopy(nb)
    assert repair(nb, before) == [] and nb == before


def test_a_copy_loses_its_metadata_whichever_side_of_the_original_it_is_on():
    nb = release()
    nb.cells.append(copy.deepcopy(nb.cells[2]))  # test_f copied to the end
    nb.cells.insert(0, copy.deepcopy(nb.cells[4]))  # test_g copied before everything
    changes = repair(nb, release())
    assert ids(nb) == [None, None, "f", "test_f", "g", "test_g", None]
    assert len(changes) == 2 and all("a copy of" in c for c in changes)
    assert "cell 0" in changes[0] and "cell 6" in changes[1]


def test_metadata_is_restored_from_the_release_and_a_retyped_cell_gets_its_type_back():
    nb = release()
    nb.cells[1].metadata["nbgrader"].update(grade=True, points=50)  # a grade flag on an answer cell
    nb.cells[2].metadata["nbgrader"]["points"] = 100
    nb.cells[4] = nbformat.from_dict({"cell_type": "markdown", "metadata": nb.cells[4].metadata, "source": "check(g)",
                                      "id": nb.cells[4].id})
    changes = repair(nb, release())
    assert [c.metadata.get("nbgrader") for c in nb.cells] == [c.metadata.get("nbgrader") for c in release().cells]
    assert nb.cells[4].cell_type == "code" and nb.cells[4].outputs == []
    assert any("was turned into a markdown cell" in c for c in changes)
    assert sum("edited and is restored" in c for c in changes) == 2


def test_unknown_ids_are_removed_and_deleted_metadata_is_found_again_by_the_test_source():
    nb = release()
    nb.cells[2].metadata["nbgrader"]["grade_id"] = "mine"  # renamed test cell: its source still says what it is
    del nb.cells[4].metadata["nbgrader"]  # deleted metadata of test_g
    nb.cells.append(nbgrader(new_code_cell("print('free points')"), "bonus", grade=True, points=99))
    nb.cells[3].metadata["nbgrader"] = "garbage"
    changes = repair(nb, release())
    assert ids(nb) == [None, "f", "test_f", None, "test_g", None]
    text = "\n".join(changes)
    assert "'mine' is not one of the lab's" in text and "'bonus' is not one of the lab's" in text
    assert "g: the answer cell is missing" in text and "metadata of test_g was missing and is restored" in text


def test_a_deleted_test_cell_is_reported_missing_and_the_note_lists_everything():
    nb = release()
    del nb.cells[2]
    changes = repair(nb, release())
    assert changes == ["test_f: the test cell is missing; the original was put back and graded"]
    note = grading_note(changes, ["data.csv: a symbolic link, not followed or copied"])
    assert note.cell_type == "markdown" and "Note from the grader" in note.source and "data.csv" in note.source
    assert grading_note([], []) is None

"""An interaction's identity: its content and its place among identical rows
of its file, never the file's name or row."""

from __future__ import annotations

from pathlib import Path

from partnermap.loaders import load_files
from partnermap.store.sqlite import SQLiteStore

PEOPLE = "id,name,kind\ns1,Lincoln High,school\nf1,Lincoln PTA,family_group\n"
HEADER = "source,target,type,date\n"
ROWS = [
    "s1,f1,meeting,2024-09-05\n",
    "s1,f1,meeting,2024-09-05\n",  # a second meeting that day: two events
    "f1,s1,feedback_given,2024-10-01\n",
]


def write(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def added(store: SQLiteStore, *paths: Path) -> int:
    batch, _ = load_files(list(paths), store_stakeholders=store.iter_stakeholders)
    return store.apply(batch).interactions_added


def test_renamed_reordered_and_cumulative_files_add_only_new_rows(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    store = SQLiteStore(tmp_path / "s.db")

    assert added(store, people, write(tmp_path, "2024-10.csv", ROWS)) == 3
    assert added(store, write(tmp_path, "renamed.csv", ROWS)) == 0
    assert added(store, write(tmp_path, "reordered.csv", ROWS[::-1])) == 0
    cumulative = [*ROWS, "s1,f1,meeting,2024-11-07\n"]
    assert added(store, write(tmp_path, "2024-11.csv", cumulative)) == 1
    third = [*ROWS, "s1,f1,meeting,2024-09-05\n"]  # now three that day
    assert added(store, write(tmp_path, "third.csv", third)) == 1
    assert store.counts()["interactions"] == 5
    provenance = sorted(i.provenance for i in store.iter_interactions())
    assert provenance == ["2024-10.csv row 2", "2024-10.csv row 3", "2024-10.csv row 4",
                          "2024-11.csv row 5", "third.csv row 5"]
    store.close()


def test_the_same_event_in_two_files_of_one_import_is_one(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    store = SQLiteStore(tmp_path / "s.db")

    school = write(tmp_path, "school_log.csv", ROWS[:1])
    family = write(tmp_path, "family_log.csv", ROWS[:1])

    assert added(store, people, school, family) == 1
    store.close()

"""Grouped, deterministic train/valid split."""

from collections import Counter

import pytest

from modsmith.formats import group_key, plan_split
from modsmith.formats.split import assign_groups
from modsmith.records import Example, Message, Provenance


def example(n, path=None, source="/repos/lanterns"):
    provenance = [Provenance(source=source, path=path)] if path else []
    return Example.create(
        task="explain",
        messages=[
            Message(role="user", content=f"question {n}"),
            Message(role="assistant", content=f"answer {n}"),
        ],
        provenance=provenance,
    )


def split_sides(examples, valid_fraction=0.15, seed=0, group_by="source_file"):
    """(train, valid) as `export_dataset` sides them: the plan from a first read, then each example."""
    examples = list(examples)
    plan = plan_split(examples, valid_fraction, seed, group_by)
    valid = [e for e in examples if plan.side(e) == "valid"]
    return [e for e in examples if plan.side(e) == "train"], valid


def grouped_examples(groups=200, per_group=3):
    return [
        example(g * per_group + i, path=f"src/file_{g}.c") for g in range(groups) for i in range(per_group)
    ]


def ids(examples):
    return [e.id for e in examples]


def test_every_example_lands_on_exactly_one_side():
    examples = grouped_examples(50) + [example(f"loose {n}") for n in range(20)]
    train, valid = split_sides(examples, valid_fraction=0.2)
    assert sorted(ids(train) + ids(valid)) == sorted(ids(examples))
    assert not set(ids(train)) & set(ids(valid))


def test_no_group_is_on_both_sides():
    train, valid = split_sides(grouped_examples(60), valid_fraction=0.3)
    train_files = {e.provenance[0].path for e in train}
    valid_files = {e.provenance[0].path for e in valid}
    assert train_files and valid_files
    assert not train_files & valid_files


def test_same_seed_same_split_different_seed_different_split():
    examples = grouped_examples(100)
    first = split_sides(examples, seed=3)
    assert split_sides(list(reversed(examples)), seed=3)[1] == list(reversed(first[1]))
    assert set(ids(split_sides(examples, seed=4)[1])) != set(ids(first[1]))


def test_fraction_is_roughly_respected_over_many_groups():
    for seed in range(5):
        plan = plan_split(grouped_examples(200, per_group=1), valid_fraction=0.15, seed=seed)
        assert abs(len(plan.valid_groups) / 200 - 0.15) <= 0.06


def test_groups_keep_their_side_when_other_groups_are_added_or_removed():
    examples = grouped_examples(100)
    before = plan_split(examples, seed=1)
    after = plan_split(examples[30:] + grouped_examples(130)[300:], seed=1)
    kept = {group_key(e) for e in examples[30:]}
    assert before.valid_groups & kept == after.valid_groups & kept


def test_both_sides_non_empty_with_two_or_more_groups():
    for seed in range(20):
        train, valid = split_sides(grouped_examples(2), valid_fraction=0.01, seed=seed)
        assert train and valid
        train, valid = split_sides(grouped_examples(3), valid_fraction=0.99, seed=seed)
        assert train and valid


def test_one_group_or_zero_fraction_stays_in_train():
    train, valid = split_sides(grouped_examples(1), valid_fraction=0.5)
    assert len(train) == 3 and valid == []
    train, valid = split_sides(grouped_examples(10), valid_fraction=0)
    assert len(train) == 30 and valid == []


def test_examples_without_provenance_are_their_own_group():
    loose = [example(f"loose {n}") for n in range(200)]
    assert len({group_key(e) for e in loose}) == 200
    train, valid = split_sides(loose, valid_fraction=0.5)
    assert 60 < len(valid) < 140


def test_group_by_source_and_by_example():
    examples = [example(n, path=f"f{n % 4}.c", source=f"/repos/r{n % 2}") for n in range(40)]
    assert Counter(group_key(e, "source") for e in examples) == {
        "source:r0": 20,
        "source:r1": 20,
    }
    assert len({group_key(e, "example") for e in examples}) == 40
    train, valid = split_sides(examples, valid_fraction=0.5, group_by="source")
    assert {e.provenance[0].source for e in train}.isdisjoint({e.provenance[0].source for e in valid})


def test_plan_split_works_from_a_one_shot_iterator():
    examples = grouped_examples(40)
    plan = plan_split(iter(examples), valid_fraction=0.25)
    train, valid = split_sides(iter(examples), valid_fraction=0.25)
    assert ids(valid) == [e.id for e in examples if plan.side(e) == "valid"]
    assert len(train) + len(valid) == 120


def test_bad_fraction_is_an_error():
    from modsmith.errors import ModsmithError

    with pytest.raises(ModsmithError):
        assign_groups(["a", "b"], valid_fraction=1.5)


def test_the_split_does_not_depend_on_where_the_checkout_lives():
    here = [example(n, path=f"src/f{n}.c", source="/home/a/oot") for n in range(50)]
    there = [example(n, path=f"src/f{n}.c", source="/tmp/ci/oot-main") for n in range(50)]
    assert [group_key(e) for e in here] == [group_key(e) for e in there]
    assert [e.id for e in split_sides(here)[1]] == [e.id for e in split_sides(there)[1]]

"""A symptom log as a clinic system posts it: plain answers for one exercise."""


def answers(of, **overrides):
    data = {
        "item": of.pk,
        "sets_done": 1,
        "repetitions_done": 10,
        "pain": 4,
        "location": "central",
        "during": "no_effect",
        "after": "no_effect",
    }
    data.update(overrides)
    return data

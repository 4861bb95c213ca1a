"""radlink.nlp.qualifiers: negation and hypothesis scoped to the finding's clause."""

from __future__ import annotations

import edsnlp
import pytest
from edsnlp.utils.examples import parse_example

from radlink.nlp.qualifiers import clause_cues, qualify

EXAMPLES = [
    "Pas d'<ent neg=true hyp=false>adénopathie</ent> hilaire.",
    "Absence d'<ent neg=true hyp=false>épanchement</ent> pleural.",
    "Nodule de 6 mm sans <ent neg=true hyp=false>fixation</ent>.",
    "Pas d'adénopathie hilaire ni de <ent neg=true hyp=false>nodule</ent>.",
    "<ent neg=false hyp=true>Nodule</ent> surrénalien, évocateur d'une localisation secondaire.",
    "<ent neg=false hyp=true>Foyer</ent> compatible avec une lésion primitive.",
    "<ent neg=false hyp=true>Ganglion</ent> faiblement fixant, à confronter à une ponction.",
    "Possible <ent neg=false hyp=true>atteinte</ent> ganglionnaire.",
    "<ent neg=false hyp=true>Lésion</ent> suspecte de récidive.",
    "Pas de <ent neg=true hyp=false>lésion</ent> osseuse suspecte.",
    "Pas d'adénopathie, mais <ent neg=false hyp=false>nodule</ent> de 8 mm.",
    "<ent neg=false hyp=false>Nodule</ent> de 6 mm, non hypermétabolique, stable.",
    "<ent neg=false hyp=true>Nodule</ent> du sein droit de 7 mm, aspect peu spécifique.",
    "<ent neg=false hyp=true>Épaississement</ent> pariétal peu spécifique.",
    # capitals without apostrophes (a night emergency RIS)
    "PAS D <ent neg=true hyp=false>EPANCHEMENT</ent> PLEURAL.",
    "IL N Y A PAS D <ent neg=true hyp=false>ADENOPATHIE</ent>.",
    "<ent neg=false hyp=true>NODULE</ent> D ALLURE KYSTIQUE.",
    # "non" right before the word, a state or a hedge denied
    "Tumeur non <ent neg=true hyp=false>métastatique</ent>.",
    "La tumeur n'est pas <ent neg=true hyp=false>métastatique</ent>.",
    "Aspect pas en faveur d'une <ent neg=true hyp=false>récidive</ent>.",
    "Image n'orientant pas vers une <ent neg=true hyp=false>fracture</ent>.",
    "Pas suffisant pour exclure une <ent neg=false hyp=true>récidive</ent>.",
    # a question hedges its clause
    "<ent neg=false hyp=true>Opacité</ent> du lobe inférieur gauche, inhalation ?",
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_qualify(example):
    text, entities = parse_example(example)
    cues = clause_cues(text, 0, len(text))
    for e in entities:
        q = qualify(text, e.start_char, e.end_char, cues, negation_after=False)
        assert (q.negated, q.hypothesis) == (e.modifiers_dict["neg"], e.modifiers_dict["hyp"])


def test_negation_after_an_organ_named_first():
    text = "Foie et surrénales sans anomalie."
    cues = clause_cues(text, 0, len(text))
    assert qualify(text, 0, 4, cues).negated
    assert qualify(text, 8, 18, cues).negated


def test_sans_particularite_negates_each_organ_named_first():
    text = "Reins, vessie et prostate sans particularité."
    cues = clause_cues(text, 0, len(text))
    assert [qualify(text, text.index(w), text.index(w) + len(w), cues).negated
            for w in ("Reins", "vessie", "prostate")] == [True, True, True]


def test_a_label_naming_several_organs_gives_them_the_negation():
    text = "Rate, reins et os : absence de lésion focale suspecte."
    cues = clause_cues(text, 0, len(text))
    found = [qualify(text, text.index(w), text.index(w) + len(w), cues, blockers=[text.index("lésion")])
             for w in ("Rate", "reins", "os")]
    assert [(q.negated, q.hypothesis) for q in found] == [(True, False)] * 3


def test_qualifiers_pipe_on_other_spans():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("eds.matcher", config={"terms": {"adp": ["adénopathie"]}, "attr": "LOWER", "span_setter": "findings"})
    nlp.add_pipe("radlink.qualifiers")
    doc = nlp("Pas d'adénopathie. Adénopathie hilaire, suspecte de récidive.")
    assert [(s._.negation, s._.hypothesis) for s in doc.spans["findings"]] == [
        (True, False),
        (False, True),
    ]


@pytest.mark.parametrize(
    "example",
    [
        # a label's verdict after its colon negates it; a property after it does not
        "<ent neg=true hyp=false>Métastases</ent> : absentes.",
        "<ent neg=true hyp=false>Infection</ent>: non",
        "<ent neg=false hyp=false>Foie</ent> : non évaluable.",
        # "not excluded" is a hedge, not a negation
        "<ent neg=false hyp=true>Embolie</ent> pulmonaire pas formellement exclue.",
        "<ent neg=false hyp=true>Récidive</ent> pas exclue.",
        "Il ne faut pas exclure une <ent neg=false hyp=true>récidive</ent>.",
        "L'examen ne laisse pas de doute sur la <ent neg=false hyp=false>fracture</ent>.",
        # the conditional hedges; a "retrait" is a noun
        "Cette <ent neg=false hyp=true>image</ent> correspondrait à un kyste.",
        "<ent neg=false hyp=false>Masse</ent> avec retrait du mamelon.",
        # pseudo-negations: a stable or unchanged finding
        "Il n'y a pas d'amélioration de la <ent neg=false hyp=false>lésion</ent> hépatique.",
        "<ent neg=false hyp=false>Nodule</ent> suspecté au scanner puis confirmé.",
    ],
)
def test_qualify_verdicts_hedges_and_pseudo_negations(example):
    text, entities = parse_example(example)
    cues = clause_cues(text, 0, len(text))
    for e in entities:
        q = qualify(text, e.start_char, e.end_char, cues)
        assert (q.negated, q.hypothesis) == (e.modifiers_dict["neg"], e.modifiers_dict["hyp"])

"""The vocabulary of movement: which words move troops, which keep them where they are.

Everything here reads single words or short phrases against the rule file of the language
(`extract/rules/{en,fr}.json`): movement triggers and their status, negations, verbs of being
or staying ("se trouvaient au Mali"), sizes ("ne compte que 12 000 hommes"), casualties, and
figures that point back ("2 000 autres", "of them", "chacun").
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Doc

from extract.numbers import Headcount, is_casualty


def _governing_verb(count: Headcount, doc: Doc):
    """The verb the troops are the subject or object of: '2 400 des 4 600 militaires ... se trouvaient'."""
    token = doc[count.token_start]
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX") and not count.token_start <= token.i < count.token_end:
            return token
        if token.head.i == token.i:
            return token  # the root, even when the tagger misreads it ("Le Kenya compte" as a noun)
        token = token.head
    return None


def static_count(count: Headcount, doc: Doc, rules: dict) -> bool:
    """Troops said to be somewhere rather than going there: the verb is one of being or staying,
    and no movement verb hangs from it ('are to deploy', 'doivent partir')."""
    verb = _governing_verb(count, doc)
    if verb is None or not {verb.lemma_.lower(), verb.lower_} & (rules["static_triggers"] | rules["having_verbs"]):
        return False
    moving = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "acomp", "advcl") and
              trigger_status(c, rules) not in (None, "alert") and c.lemma_.lower() not in rules["static_triggers"]]
    return not moving and not any(trigger_status(c, rules) in ("deployed", "arrived", "withdrawn", "ordered")
                                  for c in verb.children if c.dep_ in ("attr", "dobj", "obj"))


def opens_on_troops(sent, rules) -> bool:
    """Does the sentence open on the troops just counted: 'Ils', 'They', 'The reinforcements'?"""
    opening = " ".join(t.lower_ for t in sent[:3] if not t.is_space and t.text not in "-–•*")
    return any(opening == w or opening.startswith(w + " ") for w in rules["carry_subjects"])


def is_subordinator(token, rules) -> bool:
    """'while', 'après', 'tandis que', 'alors que' (not the adverb 'alors', 'then')."""
    if token.lower_ not in rules["subordinators"]:
        return False
    if token.lower_ in ("alors", "tandis", "bien"):
        following = token.doc[token.i + 1].lower_ if token.i + 1 < len(token.doc) else ""
        return following in ("que", "qu'", "qu’")
    return True


def reads_as_casualty(tokens, count, rules, lang) -> bool:
    if count is not None and is_casualty(count, lang):
        return True
    if count is None:
        return any(t.lower_ in rules["casualty_words"] for t in tokens)
    # Near the figure or its verb: not "hours after a drone strike killed Soleimani" at the end.
    verb = _governing_verb(count, tokens.doc)
    anchors = [count.token_start] + ([verb.i] if verb is not None else [])
    return any(t.lower_ in rules["casualty_words"] and min(abs(t.i - a) for a in anchors) <= 8 for t in tokens)


def says_homeward(tokens, rules) -> bool:
    text = " " + " ".join(t.lower_ for t in tokens) + " "
    return any(f" {phrase} " in text for phrase in rules["homeward_phrases"])


def reaches_a_total(count: Optional[Headcount], doc: Doc, rules: dict) -> bool:
    """'has reached its planned strength of 2,500', 'should end up well over 1,000 strong',
    'doit atteindre 500': the figure is what a force grows to, not troops on the move."""
    if count is None:
        return False
    # "dont l'armée ne compte qu'environ 12 000 hommes", "the force numbers 4,000": read the words too,
    # the parser often hangs the figure elsewhere.
    if any(t.lower_ in rules["counting_forms"] for t in doc[max(0, count.token_start - 3):count.token_start]):
        return True
    token = doc[count.token_start]
    for _ in range(6):
        head = token.head
        if head.i == token.i:
            return False
        lemma = head.lemma_.lower()
        if (head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT" and lemma in rules["total_verbs"]) \
                and not count.token_start <= head.i < count.token_end:
            # "l'armée ne compte qu'environ 12 000 hommes" is a size; "le contingent comptera 1 960
            # militaires" announces one.
            counting = lemma in ("count", "compter", "compte") and "Fut" not in head.morph.get("Tense")
            return (lemma in rules["total_verbs"] and (counting or lemma not in ("count", "compter"))) and token.dep_ in (
                "dobj", "obj", "attr", "acomp", "oprd", "xcomp", "npadvmod", "advmod")
        token = head
    return False


def names_a_known_total(count: Optional[Headcount], doc: Doc) -> bool:
    """'si ces renforts sont compris dans les 10 000', 'among the 4,000': a figure already given."""
    if count is None or count.token_start < 2:
        return False
    before = [t.lower_ for t in doc[count.token_start - 2:count.token_start]]
    return before[1] in ("les", "the") and before[0] in ("dans", "in", "among", "parmi", "into")


def refers_back(count: Headcount, doc: Doc) -> bool:
    """'2 000 autres', '1,000 of these troops', '6,400 of the troops', 'un millier de ces soldats'."""
    if count.anaphoric:
        return True
    following = [t.lower_ for t in doc[count.token_end:count.token_end + 2]]
    return bool(following) and following[0] in ("of", "des", "de") and len(following) > 1 and \
        following[1] in ("the", "these", "those", "its", "their", "ces", "ses", "leurs")


def trigger_status(token, rules) -> Optional[str]:
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else token
    if token.lower_ in rules["now_words"] and token.head.lemma_.lower() in ("be", "être") and following.pos_ == "ADP":
        # "just under 2,200 troops were now in Liberia", "500 Russian personnel are now at the base":
        # being there now is the end of a move ("132,000 troops are in Iraq now" is a total).
        return "arrived"
    if token.pos_ not in ("VERB", "NOUN", "AUX", "ADJ", "PROPN"):
        return None
    if token.lower_ in rules["presence_words"]:
        # "10 000 militaires seraient présents à la frontière": being there tomorrow means going there.
        return "announced" if _future_or_conditional(token) else None
    found = rules["triggers"].get(token.lemma_.lower()) or rules["triggers"].get(token.lower_)
    if found or not rules.get("verb_stems"):
        return found
    # The French lemmatizer misses forms ("la France dépêche" -> "dépêche"): try verb stems.
    return _stem_statuses(id(rules), rules).get(_stem_key(token.lower_))


def _future_or_conditional(token) -> bool:
    words = [token] + [child for child in token.children if child.dep_ in ("cop", "aux", "aux:pass")]
    return any("Fut" in w.morph.get("Tense") or "Cnd" in w.morph.get("Mood") or w.lower_ in ("will", "would")
               for w in words)


def _stem_key(word: str) -> str:
    return word[:6]


_STEMS: dict[int, dict] = {}


def _stem_statuses(rules_id: int, rules: dict) -> dict:
    """Six-letter stems of the rule file's -er verbs ('déploy', 'redépl', 'dépêch' -> status)."""
    if rules_id not in _STEMS:
        _STEMS[rules_id] = {_stem_key(verb): status for verb, status in rules["triggers"].items()
                            if verb.endswith("er") and len(verb) >= 8}
    return _STEMS[rules_id]


def is_movement(triggers, rules) -> bool:
    return any(trigger_status(t, rules) not in (None, "alert") for t in triggers)


def negated(triggers, tokens, rules) -> bool:
    for trigger in triggers:
        if any(child.dep_ == "neg" or child.lower_ in rules["negations"] for child in trigger.children):
            return True
    first_words = {t.lower_ for t in tokens[:6]}
    return bool(first_words & {"none", "aucun", "aucune"})


def movement_status(triggers, tokens, rules, count=None) -> str:
    # An alert word counts only near the troops or the movement word: "put 8,500 troops on alert",
    # not "l'Alliance a relevé le niveau de préparation ... et salué l'envoi de 3 000 soldats".
    anchors = [count.token_start] if count is not None else [t.i for t in triggers]
    near = [t for t in tokens if any(abs(t.i - a) <= 8 for a in anchors)]
    lowers = {t.lower_ for t in near} | {t.lemma_.lower() for t in near}
    if lowers & rules["alert_words"]:
        return "alert"
    statuses = [trigger_status(t, rules) for t in triggers]
    if any(t.lemma_.lower() in rules["withdraw_words"] for t in triggers) or "withdrawn" in statuses:
        return "withdrawn"
    words = [t.lower_ for t in tokens]
    future = any(
        (t.lower_ in rules["future_words"] or t.lemma_.lower() in rules["future_words"])
        and not (t.lower_ == "set" and t.doc[min(t.i + 1, len(t.doc) - 1)].lower_ != "to")  # not "set off"
        or "Fut" in t.morph.get("Tense")
        for t in tokens
    ) or any(a in ("is", "are") and b == "to" for a, b in zip(words, words[1:]))  # "are to be sent"
    if "ordered" in statuses:
        return "ordered"
    if future:
        return "announced"
    if "arrived" in statuses:
        return "arrived"
    if "announced" in statuses:
        return "announced"
    return "deployed"


def is_departure(triggers, rules) -> bool:
    return any(t.lemma_.lower() in rules["departure_words"] for t in triggers)


def is_garrison(triggers, rules) -> bool:
    """Troops in place, not moving: the clause's only verbs are of being there ('stationed in',
    'où se trouvaient déjà 900 militaires', 'massés aux abords'). 'déjà acheminés en Arménie'
    did move: one real movement verb is enough."""
    moving = [t for t in triggers if trigger_status(t, rules) not in (None, "alert")
              and t.lemma_.lower() not in rules["static_triggers"]]
    return not moving


def says_in_place(tokens, rules) -> bool:
    """'already rotate through the country', 'added together, the four groups come to 4,000'."""
    text = " " + " ".join(t.lower_ for t in tokens) + " "
    return any(f" {word} " in text for word in rules["in_place_words"])


def names_troops(tokens, triggers, rules) -> bool:
    """Without a figure, a row needs troops next to the movement word: not 'envoyer le signal'."""
    trigger_ids = {t.i for t in triggers}
    for token in tokens:
        if token.lower_ in rules["personnel_words"] or token.lemma_.lower() in rules["personnel_words"]:
            if any(abs(token.i - i) <= 6 for i in trigger_ids) or token.head.i in trigger_ids:
                return True
    return False

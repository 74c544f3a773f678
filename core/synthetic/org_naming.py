"""Names for the synthetic organisations, unique and sometimes confusable.

:class:`NameBook` draws the name of every new organisation: a Chinese
company (region + brand + line of business + legal form), a foreign one
(brand + business line + legal form, Japanese in kanji), the name of a
branch or subsidiary from its parent's, and the deliberate look-alikes:
the same brand for an unrelated company in another city or country, and a
near-identical brand (腾飞 / 腾辉, Norvex / Norvion) in the same place.

It remembers every name it gave out (as a key that ignores legal form,
brackets and case) so that no two entities share every written form of
their name, and a bounded pool of recent names to borrow brands from.
"""

from __future__ import annotations

import random
from collections import deque

from core.synthetic import vocab, vocab_orgs
from core.synthetic.org_names import CnName, LatinName, OrgName
from core.synthetic.people import Company, Weighted

SAME_BRAND_RATE = 0.05
"""Share of new companies that reuse a recent brand (another city or trade)."""
SIMILAR_BRAND_RATE = 0.03
"""Share of new companies whose brand differs from a recent one by one part."""
_CITIES = Weighted(vocab.CITIES, [c.weight for c in vocab.CITIES])
_LEGAL = Weighted(vocab.LEGAL_FORMS, [w for _, _, w in vocab.LEGAL_FORMS])
_BRAND_PY = dict(vocab.BRAND_CHARS)
_SUB_COUNTRIES = ("US", "DE", "NL", "GB", "FR", "IT", "AU")
_TRIES = 200


class NameBook:
    """Draws unique organisation names from one random stream.

    Args:
        rng: The random stream; the caller owns the seed.

    Raises:
        RuntimeError: from :meth:`head` or :meth:`child` when no unused
            name turns up in 200 draws (far beyond ten million rows).
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._names: set[str] = set()
        self._english: set[str] = set()
        self._recent: deque[OrgName] = deque(maxlen=300)

    def head(self, country: str) -> OrgName:
        """A new unrelated company registered in ``country`` (ISO code)."""
        for _ in range(_TRIES):
            name = self._cn_name() if country == "CN" else self._latin_name(country)
            if self._unique(name):
                self._recent.append(name)
                return name
        raise RuntimeError(f"no unused organisation name in {_TRIES} draws")

    def child(self, parent: OrgName) -> OrgName:
        """A branch (分公司) or subsidiary of ``parent``: a different entity."""
        for _ in range(_TRIES):
            name = self._child_name(parent)
            if self._unique(name):
                return name
        raise RuntimeError(f"no unused subsidiary name in {_TRIES} draws")

    def adopt(self, company: Company) -> CnName:
        """The name of a person population's employer, claimed as taken."""
        name = CnName(
            city=company.city,
            brand=company.brand,
            brand_py=company.brand_py,
            brand_en=company.foreign,
            industry=company.industry,
            industry_en=company.industry_en,
            legal=company.legal,
            legal_en=company.legal_en,
            bracket=bool(company.foreign),
        )
        self._unique(name)
        self._recent.append(name)
        return name

    def _unique(self, name: OrgName) -> bool:
        """Claim ``name`` unless another entity has it already.

        Two entities never share their name up to the legal form, brackets
        and case: different companies may look alike, but a company whose
        every written form is also another's would make the truth unknowable.
        Brands of famous real companies count as taken.
        """
        if isinstance(name, CnName):
            branch = name.branch.name if name.branch else ""
            region = name.region_word or name.city.name  # （中国） replaces the city
            key = f"CN|{name.brand}|{name.industry}|{region}|{branch}"
        else:
            key = f"{name.country}|{name.brand.lower()}|{name.words[1]}|{name.qualifier}"
        famous = vocab_orgs.FAMOUS_BRANDS
        if key in self._names or name.brand in famous or name.brand.lower() in famous:
            return False
        if isinstance(name, CnName) and name.brand_py in famous:
            return False
        self._names.add(key)
        return True

    def _cn_name(self) -> CnName:
        rng = self._rng
        recent = [n for n in self._recent if isinstance(n, CnName)]
        industry, industry_en = rng.choice(vocab.INDUSTRIES)
        r = rng.random()
        if recent and r < SAME_BRAND_RATE:  # same 字号, another city and trade
            base = rng.choice(recent)
            return base._replace(
                city=_CITIES.pick(rng), industry=industry, industry_en=industry_en, brand_en=""
            )
        if recent and r < SAME_BRAND_RATE + SIMILAR_BRAND_RATE:  # 腾飞 → 腾辉, same city
            base = rng.choice(recent)
            if base.brand_py and all(ch in _BRAND_PY for ch in base.brand):
                brand = base.brand[:-1] + rng.choice(vocab.BRAND_CHARS)[0]
                py = "".join(_BRAND_PY[ch] for ch in brand)
                return base._replace(brand=brand, brand_py=py, brand_en="")
        chars = [rng.choice(vocab.BRAND_CHARS) for _ in range(rng.choice((2, 2, 3)))]
        legal, legal_en, _ = _LEGAL.pick(rng)
        english = ""
        if rng.random() < 0.3:  # an invented English brand: 腾飞 → Tengtron
            english = chars[0][1].capitalize() + rng.choice(vocab_orgs.CN_ENGLISH_TAILS)
            if english in self._english:  # taken by another firm: the pinyin will do
                english = ""
            else:
                self._english.add(english)
        return CnName(
            city=_CITIES.pick(rng),
            brand="".join(h for h, _ in chars),
            brand_py="".join(p for _, p in chars),
            brand_en=english,
            industry=industry,
            industry_en=industry_en,
            legal=legal,
            legal_en=legal_en,
            bracket=rng.random() < 0.15,
        )

    def _latin_name(self, country: str) -> LatinName:
        rng = self._rng
        recent = [n for n in self._recent if isinstance(n, LatinName) and n.country != "JP"]
        words = rng.choice(vocab_orgs.DESCRIPTORS[vocab_orgs.DESCRIPTOR_LANGUAGE[country]])
        forms = vocab_orgs.LEGAL_FORMS[country]
        legal = Weighted(forms, [f.weight for f in forms]).pick(rng)
        if country == "JP":
            chars = rng.sample(vocab_orgs.JAPANESE_CHARS, rng.choice((2, 2, 3)))
            brand = "".join(k for k, _ in chars)
            reading = "".join(r for _, r in chars).capitalize()
            return LatinName("JP", ("", ""), brand, reading, words, "", legal, rng.random() < 0.5)
        r = rng.random()
        if recent and r < SAME_BRAND_RATE:  # same brand, unrelated: another country and trade
            base = rng.choice(recent)
            if words[1] != base.words[1]:
                return base._replace(country=country, words=words, legal=legal, honorific=("", ""))
        if recent and r < SAME_BRAND_RATE + SIMILAR_BRAND_RATE:  # Norvex → Norvion
            base = rng.choice(recent)
            tail, tail_zh = rng.choice(vocab_orgs.BRAND_TAILS)
            if base.brand_alt and "&" not in base.brand:
                brand, alt = base.brand[:-2] + tail, base.brand_alt + tail_zh
                return base._replace(brand=brand, brand_alt=alt)
        if rng.random() < 0.12:
            a, b = rng.sample(vocab_orgs.PARTNER_SURNAMES, 2)
            brand, alt = f"{a} & {b}", ""
        else:
            head, head_zh = rng.choice(vocab_orgs.BRAND_HEADS)
            mid, mid_zh = rng.choice(vocab_orgs.BRAND_MIDDLES) if rng.random() < 0.5 else ("", "")
            tail, tail_zh = rng.choice(vocab_orgs.BRAND_TAILS)
            brand, alt = head + mid + tail, head_zh + mid_zh + tail_zh
        honor = vocab_orgs.HONORIFICS.get(country, ("", ""))
        if rng.random() > (0.08 if country == "NL" else 0.03):
            honor = ("", "")
        if rng.random() < 0.1:
            words = ("", "", "")
        first = country == "NL" and legal.written[0] == "N.V." and rng.random() < 0.1
        return LatinName(country, honor, brand, alt, words, "", legal, first)

    def _child_name(self, parent: OrgName) -> OrgName:
        rng = self._rng
        r = rng.random()
        if isinstance(parent, CnName):
            if r < 0.5:  # a 分公司 in another city
                city = _CITIES.pick(rng)
                return parent._replace(branch=city if city != parent.city else None)
            if r < 0.85 or not parent.brand_en:
                industry, industry_en = rng.choice(
                    vocab_orgs.CN_SUB_INDUSTRIES + ((parent.industry, parent.industry_en),)
                )
                return parent._replace(
                    city=_CITIES.pick(rng) if rng.random() < 0.7 else parent.city,
                    industry=industry,
                    industry_en=industry_en,
                    legal="有限公司",
                    legal_en="Co., Ltd.",
                    bracket=rng.random() < 0.4,
                    region_word="",
                )
            country = rng.choice(("NL", "DE", "GB", "US"))
            words = rng.choice(vocab_orgs.DESCRIPTORS["EN"])
            return LatinName(
                country,
                ("", ""),
                parent.brand_en,
                parent.brand,
                words,
                rng.choice(vocab_orgs.SUBSIDIARY_QUALIFIERS[country]),
                vocab_orgs.LEGAL_FORMS[country][0],
                False,
            )
        brand = parent.brand_alt if parent.country == "JP" else parent.brand
        zh = parent.brand.translate(vocab_orgs.KANJI_SIMPLIFIED) if parent.country == "JP" else ""
        zh = zh or parent.brand_alt
        if zh and r < 0.45:  # the group's Chinese subsidiary, a company of its own
            industry, industry_en = rng.choice(vocab_orgs.CN_SUB_INDUSTRIES)
            china = rng.random() < 0.25
            return CnName(
                city=_CITIES.pick(rng),
                brand=zh,
                brand_py=brand.lower().replace(" ", ""),
                brand_en=brand,
                industry="投资" if china else industry,
                industry_en="Investment" if china else industry_en,
                legal="有限公司",
                legal_en="Co., Ltd.",
                bracket=True,
                region_word="中国" if china else "",
            )
        country = rng.choice(_SUB_COUNTRIES)
        language = vocab_orgs.DESCRIPTOR_LANGUAGE[country]
        words = rng.choice(vocab_orgs.DESCRIPTORS[language])
        if rng.random() < 0.5 and parent.words[1]:  # the group's trade, in English abroad
            same = vocab_orgs.DESCRIPTOR_LANGUAGE[parent.country] == language
            words = parent.words if same else (parent.words[1], parent.words[1], "")
        return LatinName(
            country,
            ("", ""),
            brand,
            zh,
            words,
            rng.choice(vocab_orgs.SUBSIDIARY_QUALIFIERS[country]),
            vocab_orgs.LEGAL_FORMS[country][0],
            False,
        )

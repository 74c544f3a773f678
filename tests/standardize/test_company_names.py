"""Organisation names: known answers for the matching key and the matching
words in Chinese, English, Dutch and German."""

from __future__ import annotations

import pytest

from core.standardize.company import matching_tokens, normalize_company


@pytest.mark.parametrize(
    ("raw", "key", "words"),
    [
        # Chinese: region prefixes and bracketed regions out, legal forms out, branch kept
        ("北京字节跳动科技有限公司", "字节跳动科技", "动科 字节 科技 节跳 跳动"),
        ("字节跳动科技（北京）有限公司", "字节跳动科技", "动科 字节 科技 节跳 跳动"),
        ("深圳市腾讯计算机系统有限公司", "腾讯计算机系统", "机系 算机 系统 腾讯 计算 讯计"),
        (
            "华为技术有限公司上海分公司",
            "华为技术上海分公司",
            "上海 为技 公司 分公 华为 技术 术上 海分",
        ),
        # English: legal forms, "The", "&" and connectives
        ("Apple Inc.", "apple", "apple"),
        ("Microsoft Corporation", "microsoft", "microsoft"),
        ("The Coca-Cola Company", "coca cola", "coca cola"),
        ("Procter & Gamble Co.", "procter and gamble", "gamble procter"),
        ("Acme Intl. Holdings Ltd", "acme intl holdings", "acme holdings international"),
        # Dutch: honorific words and legal forms before or after, short or spelled out
        ("KONINKLIJKE PHILIPS N.V.", "philips", "philips"),
        (
            "N.V. PHILIPS' GLOEILAMPENFABRIEKEN",
            "philips gloeilampenfabrieken",
            "gloeilampenfabrieken philips",
        ),
        ("Philips Nederland B.V.", "philips nederland", "netherlands philips"),
        ("Besloten Vennootschap Jansen Bouw", "jansen bouw", "bouw jansen"),
        ("AKZO NOBEL V", "akzo nobel", "akzo nobel"),
        # German
        ("Siemens AG", "siemens", "siemens"),
        ("Robert Bosch GmbH", "robert bosch", "bosch robert"),
        ("Volkswagen Aktiengesellschaft", "volkswagen", "volkswagen"),
        ("Müller & Söhne GmbH & Co. KG", "muller and sohne", "muller sohne"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 40 else None,
)
def test_an_organisation_name_is_normalised_for_matching(raw, key, words):
    result = normalize_company(raw)
    assert (result.key, matching_tokens(result.key)) == (key, words)
    assert result.value.replace(" ", "") != "" and result.status in ("valid", "suspect")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("KONINKLIJKE PHILIPS ELECTRONICS N.V.", "Philips Electronics"),
        ("Electronics Philips", "PHILIPS ELECTRONICS B.V."),
        ("深圳市腾飞电子科技有限公司", "腾飞电子科技（深圳）有限公司"),
        ("Siemens Aktiengesellschaft", "SIEMENS AG"),
    ],
)
def test_variants_of_one_organisation_share_their_matching_words(a, b):
    ka, kb = normalize_company(a).key, normalize_company(b).key
    assert matching_tokens(ka) == matching_tokens(kb)


def test_the_display_form_keeps_what_the_customer_wrote():
    assert normalize_company("KONINKLIJKE PHILIPS N.V.").value == "KONINKLIJKE PHILIPS N.V."
    # folded only: full-width brackets become ASCII (NFKC), nothing is taken out
    assert normalize_company("字节跳动科技（北京）有限公司").value == "字节跳动科技(北京)有限公司"

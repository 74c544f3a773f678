"""Countries and cities outside China for foreign customers and companies.

Plain data, parsed once at import. City names, telephone area codes,
country calling codes and postcode *shapes* are real, because the engine's
phone, postcode and address parsers have to meet real ones; streets are
generic names found in every town of the country, and every number built
from these tables is random.

Postcode templates: ``#`` is a random digit, ``@`` a random letter from the
country's postcode letters; anything else is copied.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class ForeignCity(NamedTuple):
    """A real city abroad.

    Attributes:
        name: Local spelling (München).
        alts: Other spellings customers type (Munich, Muenchen, Munchen).
        zh: The Chinese exonym a Chinese sales rep writes (慕尼黑).
        region: State or province code written after the city (NY, NSW, MI),
            or "".
        area: Telephone area code without the trunk prefix (89).
        local_len: Digits of a local number after the area code.
        postcodes: Postcode templates of the city.
        weight: Relative share of customers.
    """

    name: str
    alts: tuple[str, ...]
    zh: str
    region: str
    area: str
    local_len: int
    postcodes: tuple[str, ...]
    weight: float


class Country(NamedTuple):
    """A country's names, numbering plan and address habits.

    Attributes:
        code: ISO 3166 alpha-2 (GB, not UK).
        name: English short name.
        names: How the country column gets filled in (UK, U.K., 英国 …).
        dial: Country calling code without ``+``.
        trunk: National trunk prefix ("0", "1" for the US, "" for Italy,
            whose area codes keep their 0 abroad).
        mobile_prefixes: First digits of mobile numbers after the trunk.
        mobile_len: National significant number length of a mobile.
        letters: Letters allowed in postcodes.
        number_first: House number before the street (GB, US, FR, AU).
        streets: Street names; ``City:street`` belongs to that city only.
        cities: The country's cities.
    """

    code: str
    name: str
    names: tuple[str, ...]
    dial: str
    trunk: str
    mobile_prefixes: tuple[str, ...]
    mobile_len: int
    letters: str
    number_first: bool
    streets: tuple[str, ...]
    cities: tuple[ForeignCity, ...]


# code | names (the first is the English short name) | dial | trunk |
# mobile prefixes | mobile length | postcode letters | number first
_COUNTRIES = """
DE|Germany,Deutschland,DE,GERMANY,德国|49|0|151,152,157,160,162,170,171,172,175,176,177,179|11||no
NL|Netherlands,The Netherlands,Nederland,NL,Holland,荷兰|31|0|6|9|ABCEGHJKLMNPRTVWXZ|no
GB|United Kingdom,UK,U.K.,GB,Great Britain,英国|44|0|74,75,77,78,79|10|ABDEFGHJLNPQRSTUWXYZ|yes
US|United States,USA,US,U.S.A.,United States of America,美国|1|1||10||yes
FR|France,FR,FRANCE,法国,République française|33|0|6,7|9||yes
IT|Italy,Italia,IT,意大利|39||320,328,333,338,339,340,347,349,366,380,388,393|10||no
AU|Australia,AU,AUS,澳大利亚,Commonwealth of Australia|61|0|4|9||yes
JP|Japan,JP,Nippon,日本|81|0|70,80,90|10||yes
"""

# country | name | alts | zh | region | area | local length | postcodes | weight
_CITIES = """
DE|Berlin||柏林||30|8|10###,12###,13###|4
DE|Hamburg||汉堡||40|8|20###,22###|3
DE|München|Munich,Muenchen,Munchen|慕尼黑||89|8|80###,81###|3
DE|Köln|Cologne,Koeln,Koln|科隆||221|7|50###,51###|2
DE|Frankfurt am Main|Frankfurt,Frankfurt a.M.,Frankfurt/Main|法兰克福||69|8|60###,65###|2
DE|Stuttgart||斯图加特||711|7|70###|2
DE|Düsseldorf|Dusseldorf,Duesseldorf|杜塞尔多夫||211|7|40###|1.5
NL|Amsterdam||阿姆斯特丹||20|7|10## @@|4
NL|Rotterdam||鹿特丹||10|7|30## @@|3
NL|Den Haag|The Hague,'s-Gravenhage,Den-Haag|海牙||70|7|25## @@|2
NL|Utrecht||乌得勒支||30|7|35## @@|2
NL|Eindhoven||埃因霍温||40|7|56## @@|2
GB|London||伦敦||20|8|EC1A #@@,EC2V #@@,SW1A #@@,SE1 #@@,N1 #@@,E14 #@@,W1K #@@,WC2N #@@|6
GB|Manchester|Manchster|曼彻斯特||161|7|M1 #@@,M2 #@@,M3 #@@,M4 #@@|2
GB|Birmingham||伯明翰||121|7|B1 #@@,B2 #@@,B3 #@@|2
GB|Leeds||利兹||113|7|LS1 #@@,LS2 #@@|1
GB|Bristol||布里斯托||117|7|BS1 #@@,BS2 #@@,BS8 #@@|1
GB|Edinburgh|Edinburg|爱丁堡||131|7|EH1 #@@,EH2 #@@,EH3 #@@|1
GB|Glasgow||格拉斯哥||141|7|G1 #@@,G2 #@@|1
US|New York|New York City,NYC,NY|纽约|NY|212|7|100##,101##|5
US|Los Angeles|LA,L.A.|洛杉矶|CA|213|7|900##|3
US|San Francisco|SF,San Fransisco|旧金山|CA|415|7|941##|2
US|Chicago||芝加哥|IL|312|7|606##|3
US|Boston||波士顿|MA|617|7|021##|2
US|Seattle||西雅图|WA|206|7|981##|2
US|Austin||奥斯汀|TX|512|7|787##|1.5
FR|Paris||巴黎||1|8|750##|5
FR|Lyon|Lyons|里昂||4|8|6900#|2
FR|Marseille|Marseilles|马赛||4|8|130##|2
FR|Toulouse||图卢兹||5|8|310##|1
FR|Lille||里尔||3|8|590##|1
IT|Milano|Milan|米兰|MI|02|8|201##|4
IT|Roma|Rome|罗马|RM|06|8|001##|3
IT|Torino|Turin|都灵|TO|011|7|101##|2
IT|Bologna||博洛尼亚|BO|051|7|401##|1.5
IT|Firenze|Florence|佛罗伦萨|FI|055|7|501##|1.5
AU|Sydney||悉尼|NSW|2|8|2000,20##|4
AU|Melbourne||墨尔本|VIC|3|8|3000,30##|4
AU|Brisbane||布里斯班|QLD|7|8|4000,40##|2
AU|Perth||珀斯|WA|8|8|6000,60##|1.5
JP|Tokyo|Tōkyō,Tokyo-to|东京||3|8|100-00##,105-00##,107-00##|5
JP|Osaka|Ōsaka,Osaka-shi|大阪||6|8|530-00##,541-00##|3
JP|Nagoya|Nagoya-shi|名古屋||52|7|450-00##,460-00##|2
JP|Yokohama|Yokohama-shi|横滨||45|7|220-00##,231-00##|2
"""

_STREETS = {
    "DE": "Hauptstraße;Bahnhofstraße;Schillerstraße;Goethestraße;Lindenallee;Industriestraße;"
    "Gartenweg;Friedrichstraße;Mozartstraße;Am Markt;Bergstraße;Kirchstraße;Ringstraße;"
    "Waldweg;Schulstraße",
    "NL": "Kerkstraat;Stationsweg;Dorpsstraat;Molenweg;Industrieweg;Keizersgracht;Herengracht;"
    "Schoolstraat;Beukenlaan;Marktplein;Julianalaan;Nieuwstraat;Parallelweg;Wilhelminastraat",
    "GB": "High Street;Station Road;Church Lane;Victoria Road;Park Avenue;Mill Lane;King Street;"
    "Queen's Road;London Road;Market Square;Green Lane;Manor Road;Church Street;The Crescent",
    "US": "Main Street;Oak Avenue;Park Avenue;Maple Drive;Washington Boulevard;Elm Street;"
    "Market Street;Broadway;Lake Shore Drive;Fifth Avenue;Pine Street;Cedar Lane;Sunset Boulevard",
    "FR": "rue de la Paix;avenue des Champs;boulevard Haussmann;rue Victor Hugo;rue du Commerce;"
    "place de la République;rue de la République;avenue Jean Jaurès;rue des Écoles;"
    "boulevard de la Liberté;rue Pasteur",
    "IT": "Via Roma;Via Garibaldi;Corso Italia;Via Dante;Piazza del Duomo;Viale Europa;"
    "Via Mazzini;Corso Vittorio Emanuele;Via Verdi;Via Cavour",
    "AU": "George Street;Collins Street;Queen Street;Pitt Street;Bourke Street;Adelaide Terrace;"
    "St Georges Terrace;Elizabeth Street;King Street;Flinders Lane",
    # Japanese streets carry their ward and so belong to one city.
    "JP": "Tokyo:Marunouchi, Chiyoda-ku;Tokyo:Nishi-Shinjuku, Shinjuku-ku;Tokyo:Shiba, Minato-ku;"
    "Osaka:Umeda, Kita-ku;Osaka:Honmachi, Chuo-ku;Nagoya:Sakae, Naka-ku;"
    "Nagoya:Meieki, Nakamura-ku;Yokohama:Minatomirai, Nishi-ku;Yokohama:Kannai, Naka-ku",
}


def _countries() -> dict[str, Country]:
    cities: dict[str, list[ForeignCity]] = {}
    for line in _CITIES.strip().splitlines():
        code, name, alts, zh, region, area, length, posts, weight = line.split("|")
        city = ForeignCity(
            name=name,
            alts=tuple(a for a in alts.split(",") if a),
            zh=zh,
            region=region,
            area=area,
            local_len=int(length),
            postcodes=tuple(posts.split(",")),
            weight=float(weight),
        )
        cities.setdefault(code, []).append(city)
    countries: dict[str, Country] = {}
    for line in _COUNTRIES.strip().splitlines():
        code, names, dial, trunk, prefixes, length, letters, first = line.split("|")
        countries[code] = Country(
            code=code,
            name=names.split(",")[0],
            names=tuple(names.split(",")),
            dial=dial,
            trunk=trunk,
            mobile_prefixes=tuple(p for p in prefixes.split(",") if p),
            mobile_len=int(length),
            letters=letters or "ABCDEFGHJKLMNPRSTUVWXYZ",
            number_first=first == "yes",
            streets=tuple(_STREETS[code].split(";")),
            cities=tuple(cities[code]),
        )
    return countries


COUNTRIES: Final[dict[str, Country]] = _countries()
"""Every foreign country by ISO code."""

CHINA_NAMES: Final[tuple[str, ...]] = (
    "中国", "中国", "中国", "China", "CN", "P.R. China", "中华人民共和国",
)  # fmt: skip
"""How a Chinese company's country column gets filled in."""

STREET_ABBREVIATIONS: Final[tuple[tuple[str, str], ...]] = (
    ("straße", "str."),
    ("strasse", "str."),
    ("straat", "str."),
    ("Street", "St"),
    ("Road", "Rd"),
    ("Avenue", "Ave"),
    ("Boulevard", "Blvd"),
    ("Drive", "Dr"),
    ("Lane", "Ln"),
    ("Terrace", "Tce"),
    ("avenue", "av."),
    ("boulevard", "bd"),
    ("Corso", "C.so"),
    ("Piazza", "P.zza"),
    ("Viale", "V.le"),
)
"""(long, short) forms that the same street is written with."""

FOLD_ACCENTS: Final[dict[str, str]] = {
    "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
    "é": "e", "è": "e", "ê": "e", "ë": "e", "à": "a", "â": "a", "ç": "c", "î": "i",
    "ï": "i", "ô": "o", "û": "u", "ù": "u", "É": "E", "È": "E", "ō": "o", "Ō": "O",
}  # fmt: skip
"""How people without the key type accented letters (ü → ue, é → e)."""

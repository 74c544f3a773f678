"""Names and mailboxes of Latin-script customers (UK, US, DE, NL, FR, AU).

Plain data, most popular first, parsed once at import. A first name is
written ``Robert:Bob,Rob,Bobby``: the formal name, then the short forms its
bearer goes by. All persons built from these lists are synthetic; the names
are common ones so that namesakes (John Smith, Thomas Müller) happen.
"""

from __future__ import annotations

from typing import Final


def _names(block: str) -> list[tuple[str, tuple[str, ...]]]:
    """``Robert:Bob,Rob Mary`` → [("Robert", ("Bob", "Rob")), ("Mary", ())]."""
    out = []
    for cell in block.split():
        name, _, short = cell.partition(":")
        out.append((name.replace("_", " "), tuple(s for s in short.split(",") if s)))
    return out


def _words(block: str) -> tuple[str, ...]:
    return tuple(w.replace("_", " ") for w in block.split())


_EN_MALE = _names(
    """
James:Jim,Jimmy,Jamie John:Johnny,Jack Robert:Bob,Rob,Bobby,Robbie Michael:Mike,Mick
William:Bill,Will,Billy,Liam David:Dave Richard:Rick,Rich,Dick Joseph:Joe,Joey
Thomas:Tom,Tommy Charles:Charlie,Chuck Christopher:Chris Daniel:Dan,Danny Matthew:Matt
Anthony:Tony Mark Steven:Steve Andrew:Andy,Drew Paul Joshua:Josh Kenneth:Ken,Kenny Kevin
Brian George Edward:Ed,Eddie,Ted Ronald:Ron,Ronnie Timothy:Tim Jason Jeffrey:Jeff Ryan
Jacob:Jake Gary Nicholas:Nick,Nicky Eric Stephen:Steve Jonathan:Jon Benjamin:Ben
Samuel:Sam Alexander:Alex,Sandy Patrick:Pat,Paddy Peter:Pete Harry Oliver:Ollie
Frederick:Fred,Freddie Henry:Harry,Hank Lawrence:Larry Gregory:Greg Raymond:Ray
Douglas:Doug Philip:Phil Alan:Al Graham Ian Stuart:Stu Simon Neil Lewis Callum Connor
"""
)
_EN_FEMALE = _names(
    """
Mary:Molly,Polly Patricia:Pat,Patty,Trish Jennifer:Jen,Jenny Linda
Elizabeth:Liz,Beth,Lizzie,Betty,Eliza Barbara:Barb Susan:Sue,Suzy Jessica:Jess,Jessie
Sarah:Sally Karen Nancy Margaret:Maggie,Meg,Peggy Lisa Dorothy:Dot,Dottie Sandra:Sandy
Ashley Kimberly:Kim Emily:Em,Emmy Donna Michelle:Shelly Carol Amanda:Mandy
Melissa:Mel,Missy Deborah:Deb,Debbie Stephanie:Steph Rebecca:Becky,Becca Laura Sharon
Cynthia:Cindy Katherine:Kate,Kathy,Katie,Kat Catherine:Cathy,Kate Kathleen:Kathy,Kate Amy
Angela:Angie Helen Anna:Annie Emma Olivia:Liv Sophie Charlotte:Lottie,Charlie
Victoria:Vicky,Tori Abigail:Abby Christine:Chris,Chrissy Samantha:Sam,Sammy
Alexandra:Alex,Lexi Jacqueline:Jackie Josephine:Jo,Josie Gemma Hannah Lucy Chloe
Natalie:Nat Rachel
"""
)
_DE_MALE = _names(
    """
Thomas:Tom Michael:Micha Andreas:Andi Stefan Christian:Chris Peter Wolfgang:Wolf Klaus
Jürgen Hans:Hansi Johannes:Hannes,Jo Alexander:Alex Matthias:Matze Sebastian:Basti
Maximilian:Max Lukas Jan Tobias:Tobi Frank Uwe Dieter Markus Florian:Flo Friedrich:Fritz
Heinrich:Heinz Wilhelm:Willi Jörg Daniel Martin Tim Felix Jonas
"""
)
_DE_FEMALE = _names(
    """
Sabine Claudia Susanne:Susi Andrea Katharina:Kathi,Katrin Stefanie:Steffi Julia:Jule
Anna Birgit Petra Monika Ursula:Uschi Elisabeth:Lisa,Elli Christina:Tina
Franziska:Franzi Laura Lena Lea Sarah Johanna:Hanna Margarete:Grete,Greta
Gabriele:Gabi Barbara:Babsi Nicole Sandra Melanie Jana Marie
"""
)
_NL_MALE = _names(
    """
Jan Pieter:Piet Johannes:Hans,Jan,Joop Cornelis:Kees,Cor Hendrik:Henk Willem:Wim
Gerrit:Gert Jacobus:Koos,Jaap Adrianus:Arie,Adri Petrus:Peter,Piet Dirk Thijs Bas Daan
Sander Ruben Lars Sem Jeroen Maarten Joost Bram Wouter Niels Erik Martijn Robert:Rob
"""
)
_NL_FEMALE = _names(
    """
Maria:Marie,Mieke,Ria Johanna:Anneke,Hanneke,Jo Cornelia:Corrie,Nel Anna:Anja
Elisabeth:Els,Liesbeth,Lies Wilhelmina:Willy,Mina Hendrika:Riek Emma Sanne Lotte Femke
Anouk Inge Marieke Esther Fleur Lisa Eva Sophie Daphne Ingrid Petra
"""
)
_FR_MALE = _names(
    """
Jean Pierre Michel Philippe Alain Nicolas:Nico Christophe Patrick Daniel:Dany
Jean-Pierre:JP Jean-Claude Jean-Luc François Laurent Stéphane Julien Sébastien:Seb
Thomas Antoine Guillaume Maxime:Max Alexandre:Alex Hugo Louis Lucas Mathieu
"""
)
_FR_FEMALE = _names(
    """
Marie Nathalie Isabelle Sylvie Catherine:Cathy Françoise Christine Monique Valérie
Sandrine Sophie Céline Camille Julie Aurélie Émilie Claire Anne Marie-Claire
Marie-Christine Élodie Manon Chloé Léa Emma Inès Juliette Margaux Hélène
"""
)

FIRST_NAMES: Final[dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]]] = {
    "GB": {"M": _EN_MALE, "F": _EN_FEMALE},
    "US": {"M": _EN_MALE, "F": _EN_FEMALE},
    "AU": {"M": _EN_MALE, "F": _EN_FEMALE},
    "DE": {"M": _DE_MALE, "F": _DE_FEMALE},
    "NL": {"M": _NL_MALE, "F": _NL_FEMALE},
    "FR": {"M": _FR_MALE, "F": _FR_FEMALE},
}
"""Country → gender → [(formal first name, short forms)], most popular first."""

SURNAMES: Final[dict[str, tuple[str, ...]]] = {
    "GB": _words(
        """
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner
Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott
Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter
Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson
Ellis Adams Singh Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Hunt Campbell
Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Fisher Stevens O'Connor
McKenzie O'Neill Smith-Jones
"""
    ),
    "US": _words(
        """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts O'Brien
McDonald Kowalski Schneider Murphy Sullivan
"""
    ),
    "AU": _words(
        """
Smith Jones Williams Brown Wilson Taylor Johnson White Martin Anderson Thompson Nguyen Thomas
Walker Harris Lee Ryan Robinson Kelly King Davis Wright Evans Roberts Green Hall Wood Jackson
Clarke Patel Khan Lewis James Phillips Mitchell Campbell O'Brien McDonald Murphy Scott
"""
    ),
    "DE": _words(
        """
Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer
Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange
Schmitt Werner Schmitz Krause Meier Lehmann Köhler Maier Huber Kaiser Fuchs Peters Lang
Scholz Möller Weiß Jung Hahn Vogel Keller Günther Frank Berger Winkler Roth Beck Lorenz
Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter
"""
    ),
    "NL": _words(
        """
de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Janssen Visser Smit Meijer de_Boer
Mulder de_Groot Bos Vos Peters Hendriks van_Leeuwen Dekker Brouwer de_Wit Dijkstra Smits
de_Graaf van_der_Meer van_der_Linden Kok Jacobs de_Haan Vermeulen van_den_Heuvel van_der_Veen
van_den_Broek de_Bruijn van_der_Heijden Schouten van_Beek Willems van_Vliet van_de_Ven
Hoekstra Maas Verhoeven Koster van_Dam van_der_Wal Prins Blom Huisman
"""
    ),
    "FR": _words(
        """
Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre
Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau
Vincent Muller Lefebvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François
Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Masson
"""
    ),
}
"""Country → surnames, most common first."""

TUSSENVOEGSELS: Final[tuple[str, ...]] = ("van den ", "van der ", "van de ", "van ", "de ")
"""Dutch surname particles, longest first: van den Berg is filed under B."""

EMAIL_DOMAINS: Final[dict[str, tuple[str, ...]]] = {
    "GB": _words("gmail.com gmail.com hotmail.co.uk yahoo.co.uk btinternet.com outlook.com"),
    "US": _words("gmail.com gmail.com yahoo.com hotmail.com outlook.com aol.com icloud.com"),
    "AU": _words("gmail.com gmail.com bigpond.com outlook.com optusnet.com.au hotmail.com"),
    "DE": _words("gmx.de web.de t-online.de gmail.com gmx.net web.de"),
    "NL": _words("gmail.com hotmail.com ziggo.nl kpnmail.nl live.nl outlook.com"),
    "FR": _words("orange.fr free.fr gmail.com laposte.net hotmail.fr sfr.fr"),
}
"""Country → consumer mailbox domains, repeated by popularity."""

DOMAIN_SLIPS: Final[dict[str, tuple[str, ...]]] = {
    "gmail.com": ("gmial.com", "gamil.com", "gmail.co", "gmai.com", "gmail.con"),
    "hotmail.com": ("hotmial.com", "hotmai.com", "hotmail.co"),
    "yahoo.com": ("yaho.com", "yahooo.com", "yahoo.co"),
    "outlook.com": ("outlok.com", "outlook.co"),
    "gmx.de": ("gmx.d", "gmx.dee", "gmc.de"),
    "web.de": ("wed.de", "web.d"),
    "btinternet.com": ("btinternet.co", "btinterent.com"),
    "orange.fr": ("orange.f", "ornage.fr"),
}
"""Typos of the big mailbox domains as they show up in sign-up forms."""

_EN_TITLES = {"M": ("Mr", "Mr.", "Mr", "Dr"), "F": ("Mrs", "Ms", "Ms.", "Mrs.", "Miss", "Dr")}
TITLES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "GB": _EN_TITLES,
    "US": _EN_TITLES,
    "AU": _EN_TITLES,
    "DE": {"M": ("Herr", "Hr.", "Dr."), "F": ("Frau", "Fr.", "Dr.")},
    "NL": {"M": ("Dhr.", "de heer", "Mr"), "F": ("Mevr.", "mevrouw", "Ms")},
    "FR": {"M": ("M.", "Monsieur", "Mr"), "F": ("Mme", "Madame", "Mlle")},
}
"""Country → gender → salutations a call-centre agent puts before a surname."""

SUFFIXES: Final[tuple[str, ...]] = ("Jr.", "Jr", "Sr.")
"""Generational suffixes: a father and son of one name at one address."""

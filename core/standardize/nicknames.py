"""Given-name variants: the pet forms and short forms people answer to.

Robert is Bob, Rob, Bobby and Robbie; Elizabeth is Liz, Beth, Betty and
Eliza. Two records whose given names are variants of one name are likelier
one person than two records with unrelated names, and less likely than two
with the same name; matching gives them a level of their own
(:mod:`core.matching.comparisons`). :func:`canonical` maps every form to
one name (a form shared by two names, such as Chris or Alex, maps to the
first listed), so variants compare equal.

The table covers common English given names and frequent forms in Dutch,
German, French, Spanish and Italian; Chinese names have their own pet-name
rules (玲玲 for 孙秀玲).
"""

from __future__ import annotations

import unicodedata
from functools import cache

_VARIANTS = """
abigail abby abbie gail
albert al bert bertie
alexander alex alec alexandre alessandro alejandro sandy xander lex
alexandra alexa sandra sasha alexandria
alfred alf alfie fred
andrew andy drew andreas andre andrea
angela angie
anthony tony antonio anton
arthur art artie
barbara barb babs barbie
benjamin ben benny benji
bernard bernie bernd
catherine cathy cath kate katie kathy katherine kathryn katharina kat katja caitlin cate
charles charlie chuck chas carl karl carlos carlo
charlotte lottie lotte
christopher chris kit christoph kristof
christine chris chrissy christina kristina tina
daniel dan danny dani
david dave davy davie
deborah deb debbie debby
dorothy dot dottie dolly
edward ed eddie ted teddy ned eduard eduardo
eleanor ellie nora nell nellie elenor
elizabeth liz lizzie beth betty bess bessie eliza lisa libby elisabeth elise elsa ilse
emily em emmy emilie
frances fran fanny francesca
francis frank frankie franz francesco francois francisco paco
frederick fred freddie freddy fritz friedrich frederik
gabriel gabe gabriele
gregory greg
harold harry hal
harriet hattie
helen helena nell elena
henry harry hank hal heinrich hendrik henk enrique
isabel isabella bella izzy isabelle
jacob jake jakob jacques jaap
james jim jimmy jamie
jane jenny jan
jennifer jen jenny jenn
jessica jess jessie
john jack johnny jon johann johannes jan hans juan giovanni jean
jonathan jon jonny
joseph joe joey josef giuseppe jose
joshua josh
judith judy jude
katherine kate kathy katie kay
kenneth ken kenny
lawrence larry laurence lorenzo
leonard leo len lenny leon
louis lou louie luis luigi ludwig
louise lou lulu luisa
margaret maggie meg peggy madge marge margie greta gretchen marjorie margarethe
matthew matt matty mathias matthias mattias
michael mike mikey mick micky michel michiel miguel michele
nathaniel nathan nat nate
nicholas nick nicky nicolas nico klaus niklas nicolaas
oliver ollie olly
pamela pam
patricia pat patty trish tricia
patrick pat paddy
peter pete pieter piet pierre pedro pietro
philip phil pip philipp filip
rebecca becky becca
richard rick ricky dick rich richie ricardo
robert rob bob bobby robbie bert robin roberto
ronald ron ronnie
rosemary rose rosie
samuel sam sammy
samantha sam sammie
sarah sara sally sadie
stephen steve steven stevie stefan stephan esteban stefano
susan sue susie suzanne susanne
theodore theo ted teddy
thomas tom tommy thom tomas
timothy tim timmy
victoria vicky vic tori
vincent vince vinnie
walter walt wally
william will bill billy willy liam wilhelm willem guillaume guillermo
zachary zach zack
""".strip().splitlines()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if "a" <= c <= "z")


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _VARIANTS:
        names = line.split()
        for name in names:
            table.setdefault(name, names[0])
    return table


def canonical(given: str) -> str:
    """The name a given-name form stands for, folded to ASCII letters
    (``Bob`` → ``robert``); the folded form itself when the table does not
    know it; '' for an empty name.

    Example:
        >>> canonical("Bobby"), canonical("Élise"), canonical("Xavier")
        ('robert', 'elizabeth', 'xavier')
    """
    word = _fold(given.split()[0]) if given.split() else ""
    return _table().get(word, word)

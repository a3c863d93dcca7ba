"""Output safety: formulas neutralised in CSV, Markdown made inert, file names sanitised."""

from __future__ import annotations

import pytest

from analysis.core.safety import markdown_text, neutralise_formula, safe_filename


@pytest.mark.parametrize(
    "text, expected",
    [
        ('=HYPERLINK("http://x","klick")', '\'=HYPERLINK("http://x","klick")'),
        ("+46 13 20 60 00", "'+46 13 20 60 00"),
        ("-sum", "'-sum"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("-A1", "'-A1"),
        ("-", "'-"),
        # whitespace, line breaks and invisible characters before the formula
        (" =1+1", "' =1+1"),
        ("   @SUM(A1)", "'   @SUM(A1)"),
        ("\u00a0=1+1", "'\u00a0=1+1"),  # NBSP
        ("\u202f+1+1", "'\u202f+1+1"),  # narrow NBSP
        ("\u2003-1+1", "'\u2003-1+1"),  # em space
        ("\u3000=1", "'\u3000=1"),  # ideographic space
        ("\u200b=1", "'\u200b=1"),  # zero-width space
        ("\ufeff=1", "'\ufeff=1"),  # byte order mark
        ("\n=1+1", "'\n=1+1"),
        ("\r\n@x", "'\r\n@x"),
        ("\x0b=1", "'\x0b=1"),
        # tab and carriage return first: always (OWASP)
        ("\t=1", "'\t=1"),
        ("\tBerga", "'\tBerga"),
        ("\rBerga", "'\rBerga"),
        ("\t-5", "'\t-5"),
        # numbers stay as they are, also as the pages write them
        ("-5", "-5"),
        ("+3,5", "+3,5"),
        ("-0.25", "-0.25"),
        (" -5", " -5"),
        ("-1 234,5", "-1 234,5"),
        ("-1\u00a0234", "-1\u00a0234"),
        ("+11\u00a0% ▼", "+11\u00a0% ▼"),
        ("+1,7\u00a0pe ▼", "+1,7\u00a0pe ▼"),
        ("-3,4\u00a0poäng", "-3,4\u00a0poäng"),
        # header names and ordinary text
        ("Område", "Område"),
        ("Värde", "Värde"),
        ("Skillnad mot Övriga Linköping", "Skillnad mot Övriga Linköping"),
        ("Skäggetorp", "Skäggetorp"),
        ("Berga = Ryd", "Berga = Ryd"),
        ("e-post@kommun.se", "e-post@kommun.se"),
        ("'=1", "'=1"),  # already neutralised
        ("", ""),
    ],
)
def test_neutralise_formula(text, expected):
    assert neutralise_formula(text) == expected


WJ = "\u2060"  # WORD JOINER: invisible, breaks the patterns Streamlit rewrites after parsing


# Each expected output was checked in Chromium (Streamlit 1.67): it renders as the input text, with no link, image,
# icon, colour, heading, list, code or formula. Bare addresses, :material/…: and :streamlit: need the word joiner
# because Streamlit turns them into links, icons and images after the backslash escapes are gone.
@pytest.mark.parametrize(
    "text, expected",
    [
        # images, links, autolinks
        ("![x](http://evil.invalid/a.png)", rf"\!\[x\]\(http\:{WJ}//evil\.invalid/a\.png\)"),
        ("[klicka](http://evil.invalid/b)", rf"\[klicka\]\(http\:{WJ}//evil\.invalid/b\)"),
        ("[länk](javascript:alert(1))", rf"\[länk\]\(javascript\:{WJ}alert\(1\)\)"),
        ("<http://evil.invalid/c>", rf"\<http\:{WJ}//evil\.invalid/c\>"),
        ("se http://evil.invalid/d", rf"se http\:{WJ}//evil\.invalid/d"),
        ("HTTPS://evil.invalid", rf"HTTPS\:{WJ}//evil\.invalid"),
        ("www.evil.invalid", rf"www{WJ}\.evil\.invalid"),
        ("WWW.evil.invalid", rf"WWW{WJ}\.evil\.invalid"),
        ("a@evil.invalid", rf"a@{WJ}evil\.invalid"),
        ("[x][r]\n\n[r]: /b", r"\[x\]\[r\]  " "\n  \n" r"\[r\]\: /b"),
        # raw HTML
        ('<img src="http://evil.invalid/e.png">', rf'\<img src\="http\:{WJ}//evil\.invalid/e\.png"\>'),
        ("<script>alert(2)</script>", r"\<script\>alert\(2\)\</script\>"),
        ("&lt;b&gt; &amp;", r"\&lt;b\&gt; \&amp;"),
        # Streamlit's directives, icons and logo
        (":red[röd] :blue-badge[b]", rf"\:{WJ}red\[röd\] \:{WJ}blue\-badge\[b\]"),
        (":material/home:", rf"\:{WJ}material/home\:"),
        (":streamlit: :smile:", rf"\:{WJ}streamlit\: \:{WJ}smile\:"),
        # LaTeX
        ("$x^2$ och $$y$$", r"\$x^2\$ och \$\$y\$\$"),
        # emphasis, code, blocks
        ("**fet** _kursiv_ ~stryk~ `kod`", r"\*\*fet\*\* \_kursiv\_ \~stryk\~ \`kod\`"),
        ("# Rubrik", r"\# Rubrik"),
        ("> citat", r"\> citat"),
        ("1. punkt", r"1\. punkt"),
        ("- punkt\n+ punkt", r"\- punkt  " "\n" r"\+ punkt"),
        ("| a | b |", r"\| a \| b \|"),
        ("Rubrik\n===", "Rubrik  \n" r"\=\=\="),
        ("    indrag", " indrag"),  # four blanks would make a code block; HTML shows one anyway
        # Streamlit's typographic rewrites
        ("a -> b <- c -- d >= e", rf"a \-{WJ}\> b \<{WJ}\- c \-{WJ}\- d \>{WJ}\= e"),
        # line breaks kept, plain text untouched
        ("rad1\nrad2", "rad1  \nrad2"),
        ("rad1\r\nrad2\rrad3", "rad1  \nrad2  \nrad3"),
        ("stycke\n\nstycke", "stycke  \n  \nstycke"),
        ("Berga: arbete", r"Berga\: arbete"),
        ("Skäggetorp 18,9 %", "Skäggetorp 18,9 %"),
        (None, ""),
        (2024, "2024"),
    ],
)
def test_markdown_text_is_inert(text, expected):
    assert markdown_text(text) == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Nulägesbild Skäggetorp 2024.docx", "Nulagesbild Skaggetorp 2024.docx"),
        ("../../etc/passwd", "etc_passwd"),
        ('<script>"x".xlsx', "script_x_.xlsx"),
        ("", "fil"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


# --- Plotly text --------------------------------------------------------------------------------------------------

from analysis.core.safety import plotly_text  # noqa: E402  (appended section)


@pytest.mark.parametrize(
    "text, expected",
    [
        # Plotly's pseudo-HTML: links, bold, line breaks, styled spans and sub/superscripts stay literal text
        ('<a href="http://evil.invalid/x">klick</a>', '&lt;a href="http://evil.invalid/x"&gt;klick&lt;/a&gt;'),
        ("<b>fet</b>", "&lt;b&gt;fet&lt;/b&gt;"),
        ("rad<br>rad", "rad&lt;br&gt;rad"),
        ('<span style="font-size:90px">stor</span>', '&lt;span style="font-size:90px"&gt;stor&lt;/span&gt;'),
        ("CO<sub>2</sub>", "CO&lt;sub&gt;2&lt;/sub&gt;"),
        # entities are escaped too, so they read as written ('R&amp;D' is not 'R&D'); & first, never twice
        ("R&D", "R&amp;D"),
        ("R&amp;D", "R&amp;amp;D"),
        ("&nbsp;&#60;&lt;", "&amp;nbsp;&amp;#60;&amp;lt;"),
        # quotes are left alone: Plotly does not decode &quot; and would show it
        ("\"Ryd\" och 'Berga'", "\"Ryd\" och 'Berga'"),
        # ordinary names, numbers and other text as they are
        ("Skäggetorp", "Skäggetorp"),
        ("Övriga Linköping 52,3 %", "Övriga Linköping 52,3 %"),
        ("a < b > c", "a &lt; b &gt; c"),
        # no MathJax is loaded (Streamlit, kaleido with mathjax=False), %{..} in a substituted value is not substituted
        # again, and Plotly knows no Markdown
        ("$x^2$ %{y} [x](http://a)", "$x^2$ %{y} [x](http://a)"),
        ("rad1\nrad2", "rad1\nrad2"),  # Plotly shows a line break in text as a space
        ("", ""),
        (None, ""),
        (2024, "2024"),
    ],
)
def test_plotly_text_is_inert(text, expected):
    assert plotly_text(text) == expected

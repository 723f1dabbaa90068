"""The HTML block splitter of generated pages (rihla/publish/html_blocks.py): comments, and unbalanced blocks."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from mkdocs.exceptions import PluginError

from rihla.publish.html_blocks import GENERATED_MARK, GeneratedHtmlBlocks
from tests.helpers import MINIMAL_RECORDS, ROOT, build_site


def convert(body: str) -> str:
    """A generated page's Markdown converted as MkDocs converts it, with the splitter."""
    extensions = ["attr_list", "md_in_html", "toc", GeneratedHtmlBlocks()]
    return markdown.Markdown(extensions=extensions).convert(f"{GENERATED_MARK}\n\n{body}")


def test_comment_holding_a_tag_opens_nothing() -> None:
    """`<!-- <div> -->` inside a block is no element: the block ends where its element does,
    and the heading after it is still read as Markdown."""
    block = '<div class="a">\n<!-- <div> was here -->\n<p>x</p>\n</div>'
    html = convert(f"{block}\n\n## Next\n")
    assert block in html
    assert '<h2 id="next">Next</h2>' in html


def test_comment_over_several_lines_holding_tags_opens_nothing() -> None:
    """A comment spanning lines and a blank one, holding an opening tag, opens nothing."""
    block = '<div class="a">\n<!-- the old layout:\n<div>\n\n<p>old</p> -->\n<p>x</p>\n</div>'
    html = convert(f"{block}\n\n## Next\n")
    assert block in html
    assert '<h2 id="next">Next</h2>' in html


def test_unclosed_element_stops_the_build_naming_its_line() -> None:
    """An element never closed would swallow the rest of the page: an error quotes its line instead."""
    with pytest.raises(PluginError) as raised:
        convert('<p>intro</p>\n\n<div class="rihla-card">\n<p>x</p>\n\n## Next\n')
    assert str(raised.value).startswith(
        "unbalanced HTML in a generated page, line 5: <div> is never closed: its block would swallow the rest "
        "of the page: '<div class=\"rihla-card\">'; written by a page template"
    )


def test_stray_closing_tag_outside_a_block_stops_the_build() -> None:
    """A `</div>` that closes nothing, on a line of its own, is an error rather than stray text."""
    with pytest.raises(PluginError, match=r"line 5: </div> closes an element that is not open: '</div>'"):
        convert("<p>a</p>\n\n</div>\n\n## Next\n")


def test_stray_closing_tag_inside_a_block_stops_the_build() -> None:
    """More `</div>` than `<div>` on the block's lines is an error naming the line."""
    with pytest.raises(PluginError, match=r"line 4: </div> closes an element that is not open"):
        convert("<div>\n<p>a</p></div></div>\n")


def test_comment_alone_on_its_line_is_left_to_markdown() -> None:
    """The fallback notice's marker comment is no block and no error (every generated page has one)."""
    html = convert("<!-- rihla:fallback-notice -->\n\n<p>a</p>\n")
    assert "<p>a</p>" in html


def test_template_override_with_an_unclosed_element_fails_the_build(tmp_path: Path) -> None:
    """A site's copy of a page template that leaves a `<div>` open: the build fails and names the page,
    the line and the element, without a traceback, and publishes nothing."""
    custom_dir = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", custom_dir)
    template = "pages/theme.md"
    source = (ROOT / "rihla" / "render" / "templates" / template).read_text(encoding="utf-8")
    marker = "{% block body %}\n"
    assert marker in source, f"{template} has no body block any more"
    target = custom_dir / "rihla" / template
    target.parent.mkdir(parents=True)
    target.write_text(source.replace(marker, marker + '<div class="broken">\n<!-- </div> -->\n\n', 1), encoding="utf-8")
    site = build_site(tmp_path, MINIMAL_RECORDS, custom_dir=custom_dir, build_date="2023-03-01")
    assert site.returncode != 0
    assert "Traceback" not in site.output
    assert "Error reading page 'themes/" in site.output
    problem = "<div> is never closed: its block would swallow the rest of the page: '<div class=\"broken\">'"
    assert problem in site.output
    assert not (tmp_path / "site" / "index.html").exists()

"""MkDocs entry point: forwards build events to the Rihla engine (`rihla.publish`).

Kept thin on purpose: what happens on each event lives in the engine. The
engine is imported here, while this folder is on `sys.path`.
"""

from __future__ import annotations

from mkdocs.plugins import CombinedEvent, event_priority

from rihla.publish import Publisher

publisher = Publisher()
"""Starts a new session at every build; nothing else is kept between builds."""


def on_startup(command, dirty):
    publisher.startup(command, dirty)


def on_shutdown():
    publisher.shutdown()


# Before i18n's on_config (-100): records are loaded before any language is set up.
@event_priority(100)
def on_config(config):
    return publisher.start(config)


# Before i18n's on_files (-100), which sorts files by language.
@event_priority(50)
def _add_generated_files(files, config):
    return publisher.add_files(files, config)


# After i18n's on_files (-100), which re-created the files without their content.
@event_priority(-200)
def _attach_generated_content(files, config):
    return publisher.attach_content(files, config)


on_files = CombinedEvent(_add_generated_files, _attach_generated_content)


# After i18n's on_nav (-100), which makes the navigation of the language being built.
@event_priority(-200)
def on_nav(nav, config, files):
    publisher.navigation(files)
    return nav


def on_env(env, config, files):
    return publisher.theme_environment(env, config, files)


def on_page_markdown(markdown, page, config, files):
    return publisher.page_markdown(markdown, page, config)


def on_page_content(html, page, config, files):
    return publisher.page_content(html, page, config)


def on_post_page(output, page, config):
    return publisher.finish_page(output, page, config)


# Before i18n's on_post_build (-100), which starts building the next language.
@event_priority(-50)
def _finish_language(config):
    publisher.finish_language(config)


# After i18n's on_post_build (-100): when i18n is no longer building, every language is done.
@event_priority(-150)
def _finish_build(config):
    publisher.finish_build(config)


on_post_build = CombinedEvent(_finish_language, _finish_build)


def on_build_error(error):
    publisher.abandon(error)

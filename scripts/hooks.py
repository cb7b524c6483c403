"""MkDocs hooks (mkdocs.yml: hooks). Thin: each event forwards to scripts/lanzarote/site_hooks.py."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.plugins import event_priority  # noqa: E402

from lanzarote import csp, search, site_hooks  # noqa: E402


@event_priority(50)    # before static-i18n (-100) reads its language list
def on_config(config):
    return site_hooks.on_config(config)


@event_priority(-150)  # after static-i18n kept only the current language's files
def on_files(files, config):
    return site_hooks.on_files(files, config)


@event_priority(-150)  # after static-i18n removed the language sections
def on_nav(nav, config, files):
    return site_hooks.on_nav(nav, config, files)


@event_priority(-150)  # after static-i18n's own page context
def on_page_context(context, page, config, nav):
    context = site_hooks.on_page_context(context, page, config, nav)
    return search.on_page_context(context, page, config)     # which search scripts the page names


def on_template_context(context, template_name, config):
    return site_hooks.on_template_context(context, template_name, config)


def on_env(env, config, files):
    return site_hooks.on_env(env, config, files)


def on_post_page(output, page, config):
    output = site_hooks.on_post_page(output, page, config)
    csp.check_page(output, page, config)    # inline code the Content-Security-Policy would block
    return output


@event_priority(-200)  # after static-i18n built every language (-100); skips its nested builds
def on_post_build(config):
    search.on_post_build(config)            # split the merged search index: one per language
    csp.on_post_build(config)               # hash inline scripts; write site/_headers, .htaccess, nginx

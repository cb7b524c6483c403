"""Help-service directory: data validation (bad input), the Parties, and what children see."""
from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
import yaml

from support import REPO, make_project, site_cli

sys.path.insert(0, str(REPO / "scripts"))
from lanzarote.help_data import load_help, load_parties  # noqa: E402
from lanzarote.paths import Layout  # noqa: E402

SERVICE = {"id": "test-line", "name": "Test line", "kind": "child-helpline",
           "contact": {"phone": "116 111"}, "source": "https://example.org/source",
           "verified_on": "2026-11-01", "confidence": "confirmed"}


def test_the_48_parties_are_exactly_those_of_the_facts_file():
    parties = load_parties(Layout())
    codes = {p.code for p in parties}
    assert len(parties) == 48 == len(codes)
    assert {"RU", "TN", "UA", "GB", "TR", "GE", "FR"} <= codes   # 46 CoE members + RU + TN
    assert not codes & {"BY", "MA", "VA", "XK"}                  # not Parties


def test_every_party_has_a_valid_help_file_and_the_real_data_is_clean():
    directory, problems = load_help(Layout())
    assert [p for p in problems if p.is_error] == []
    assert set(directory.countries) == {p.code for p in directory.parties}
    assert directory.international is not None


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "p")


def write_help(project, code, services, country=None):
    body = {"country": country or code.upper(), "name": "Test", "services": services}
    (project / "data" / "help" / f"{code}.yml").write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")


def errors_for(project, filename):
    result = site_cli(project, "check")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    return [l for l in result.stdout.splitlines() if l.startswith("ERROR") and filename in l]


def test_unknown_country_code(project):
    write_help(project, "de", [SERVICE], country="DX")
    lines = errors_for(project, "data/help/de.yml")
    assert lines and "DX is not a Party" in lines[0]


def test_file_for_a_non_party(project):
    write_help(project, "by", [SERVICE])
    lines = errors_for(project, "data/help/by.yml")
    assert len(lines) == 1 and "BY is not a Party to the Convention" in lines[0]


@pytest.mark.parametrize("field", ["source", "verified_on"])
def test_service_without_source_or_date(project, field):
    service = {k: v for k, v in SERVICE.items() if k != field}
    write_help(project, "de", [service])
    lines = errors_for(project, "data/help/de.yml")
    assert len(lines) == 1 and f"'{field}' is a required property" in lines[0]


def test_malformed_phone_number(project):
    write_help(project, "de", [dict(SERVICE, contact={"phone": "116-111 call now"})])
    lines = errors_for(project, "data/help/de.yml")
    assert len(lines) == 1 and "services.0.contact.phone" in lines[0]


def test_duplicate_service(project):
    write_help(project, "de", [SERVICE, dict(SERVICE)])
    lines = errors_for(project, "data/help/de.yml")
    assert any("is used twice" in l for l in lines)


def test_invalid_url(project):
    write_help(project, "de", [dict(SERVICE, source="www.example.org/no-scheme")])
    lines = errors_for(project, "data/help/de.yml")
    assert len(lines) == 1 and "services.0.source" in lines[0]


def test_unreal_date(project):
    write_help(project, "de", [dict(SERVICE, verified_on="2026-02-30")])
    lines = errors_for(project, "data/help/de.yml")
    assert len(lines) == 1 and "not a real date" in lines[0]


def test_yaml_date_without_quotes_is_accepted(project):
    (project / "data" / "help" / "de.yml").write_text(
        "country: DE\nname: Germany\nservices:\n- id: a\n  name: A line\n  kind: emergency\n"
        "  contact: {phone: '112'}\n  source: https://example.org/\n  verified_on: 2026-11-01\n"
        "  confidence: confirmed\n", encoding="utf-8")
    assert site_cli(project, "check").returncode == 0


def test_stale_entry_is_a_warning_not_an_error(tmp_path):
    project = make_project(tmp_path / "p")
    write_help(project, "de", [dict(SERVICE, verified_on="2020-01-01")])
    result = site_cli(project, "check")
    assert result.returncode == 0
    assert "WARNING: data/help/de.yml: services.0 (test-line): last checked 2020-01-01" in result.stdout


def test_missing_party_file(project):
    (project / "data" / "help" / "mt.yml").unlink()
    lines = errors_for(project, "data/help/mt.yml")
    assert len(lines) == 1 and "no help file for Malta" in lines[0]


def test_help_report_lists_every_party(project):
    result = site_cli(project, "help-report")
    assert result.returncode == 0
    rows = [l for l in result.stdout.splitlines() if re.match(r"^[A-Z]{2}\s", l)]
    assert len(rows) == 48
    assert "confirmed: child-helpline" in result.stdout


def test_site_for_one_country_shows_its_services_first(tmp_path):
    from support import mkdocs_build
    project = make_project(tmp_path / "p")
    site_yml = project / "data" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("home_country: null", "home_country: DE"),
                        encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "7-10" / "help" / "index.html").read_text(encoding="utf-8")
    first_phone = re.search(r'data-phone="([^"]+)"', html).group(1)
    assert 'data-home-country="DE"' in html
    home_block = html.split('data-home-country="DE"', 1)[1].split('id="lk-services-title"', 1)[0]
    assert "Nummer gegen Kummer" in home_block and first_phone == "116 111"
    picker = html.split("data-country-picker", 1)[1]
    assert re.search(r'href="#(help-[a-z]{2})"', picker).group(1) == "help-de"

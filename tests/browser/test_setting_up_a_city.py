"""A new city sets Ponte up alone, in Chromium: the operator makes its first admin with
`flask create-account`; the admin sets a password from the link, invites a trainer, creates a
process, fills its settings (EU emblem, partners, the trainer on its team), uploads the city's
logo; the trainer, in their own browser, sets their password, sees only that process, adds a
training course; staff download the workbook, and it holds the training."""

import io
import re
import subprocess
import sys

import openpyxl
from PIL import Image
from playwright.sync_api import expect

from tests.servers import REPO

ADMIN = "ufficio@empoli.example"
TRAINER = "giulia@empoli.example"
PASSWORD = "una password lunga"


def create_account(server, *args: str) -> str:
    """Run `flask create-account` against the live server's database; return its output."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "create-account", *args],
        cwd=REPO,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def link_path(text: str) -> str:
    return re.search(r"(/password/[\w.\-]+)", text).group(1)


def sets_password_and_logs_in(page, server, path: str, email: str) -> None:
    page.goto(server.url + path)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=again]", PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page).to_have_url(server.url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(server.url + "/workshops")


def logo_png() -> bytes:
    image = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    image.paste((20, 90, 160, 255), (10, 10, 110, 110))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_new_city_sets_up_its_programme_and_downloads_the_workbook(
    live_server, new_page, tmp_path
):
    output = create_account(
        live_server,
        "--organisation=Comune di Empoli",
        f"--email={ADMIN}",
        "--name=Ufficio Partecipazione",
    )
    admin = new_page(width=1300, height=1000)
    sets_password_and_logs_in(admin, live_server, link_path(output), ADMIN)
    expect(admin.locator("main")).to_contain_text("Comune di Empoli")
    expect(admin.locator("main")).not_to_contain_text("EMBRACE Prato")  # another city's

    # The admin invites a trainer: a link to give her.
    admin.get_by_role("link", name="Accounts").click()
    admin.fill("input[name=name]", "Giulia Neri")
    admin.fill("input[name=email]", TRAINER)
    admin.select_option("select[name=role]", "trainer")
    admin.get_by_role("button", name="Invite", exact=True).click()
    invitation = admin.locator("#password-link input").input_value()
    expect(admin.locator("#accounts tr[data-email='giulia@empoli.example']")).to_contain_text(
        "invited"
    )

    giulia = new_page(width=1300, height=1000)
    sets_password_and_logs_in(giulia, live_server, link_path(invitation), TRAINER)
    expect(giulia.locator("main")).to_contain_text("No process yet")

    # The admin creates the process and fills its settings.
    admin.goto(live_server.url + "/workshops")
    admin.fill("input[name=title]", "Empoli partecipa")
    admin.fill("input[name=city]", "Empoli")
    admin.fill("input[name=languages]", "it, en, ar")
    admin.get_by_role("button", name="Create process").click()
    expect(admin.get_by_role("heading", name="Empoli partecipa")).to_be_visible()
    workshop_url = admin.url
    admin.get_by_role("link", name="Settings").click()
    admin.fill("textarea[name=partners]", "Comune di Empoli\nCooperativa Il Ponte")
    admin.check("input[name=eu_funded]")
    admin.fill("textarea[name=eu_statement]", "Cofinanziato dall'Unione europea · FAMI")
    admin.fill("input[name=retention_months]", "36")
    admin.get_by_label("Giulia Neri").check()
    admin.get_by_role("button", name="Save settings").click()
    expect(admin.locator(".flash")).to_contain_text("Settings saved")
    expect(admin.get_by_label("Giulia Neri")).to_be_checked()

    # The city's logo, for the covers.
    admin.get_by_role("link", name="Partners' logos").click()
    admin.fill("input[name=name]", "Comune di Empoli")
    admin.set_input_files(
        "input[name=logo]", {"name": "empoli.png", "mimeType": "image/png", "buffer": logo_png()}
    )
    admin.get_by_role("button", name="Add logo").click()
    logo = admin.get_by_role("img", name="Comune di Empoli")
    expect(logo).to_be_visible()
    assert logo.evaluate("(img) => img.complete && img.naturalWidth") > 0

    # Giulia is on the team now: she sees the process, and only it.
    giulia.reload()
    expect(giulia.locator(".list-link")).to_have_count(1)
    expect(giulia.locator(".list-link")).to_contain_text("Empoli partecipa")
    giulia.get_by_role("link", name=re.compile("Empoli partecipa")).click()
    assert giulia.url == workshop_url

    # She records the first meeting of a training course, and herself in it.
    form = giulia.locator("form.activity-form")
    form.locator("#activity-kind").select_option("training")
    form.locator("#activity-title").fill("Formazione dei facilitatori, incontro 1")
    form.locator("#activity-date").fill("2027-01-20")
    form.locator("#activity-start-time").fill("09:00")
    form.locator("#activity-end-time").fill("13:00")
    form.locator("#activity-place").fill("Biblioteca Fucini, Empoli")
    form.locator("#activity-course").fill("Formazione dei facilitatori")
    form.get_by_role("button", name="Add the activity").click()
    giulia.goto(workshop_url)
    row = giulia.locator("#activity-list tbody tr", has_text="Formazione dei facilitatori")
    expect(row).to_contain_text("09:00")
    row.get_by_role("link").click()
    adding = giulia.locator("form", has=giulia.get_by_role("button", name="Add to the list"))
    adding.locator("select[name=who]").select_option(label="Giulia Neri (trainer or staff)")
    adding.get_by_role("button", name="Add to the list").click()
    expect(giulia.locator("#attendees tbody tr", has_text="Giulia Neri")).to_contain_text("4")

    # Staff download the workbook from the figures page.
    admin.goto(workshop_url)
    admin.get_by_role("link", name="Figures and export").click()
    with admin.expect_download() as download:
        admin.get_by_role("link", name=re.compile("Download the workbook")).click()
    path = tmp_path / "empoli.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert {"notes", "activities", "activity_attendance", "figures"} <= set(book.sheetnames)
    rows = list(book["activities"].iter_rows(values_only=True))
    activities = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [a["title"] for a in activities] == ["Formazione dei facilitatori, incontro 1"]
    assert activities[0]["kind"] == "training" and float(activities[0]["hours"]) == 4
    assert activities[0]["course"] == "Formazione dei facilitatori"
    rows = list(book["activity_attendance"].iter_rows(values_only=True))
    attended = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [(a["role"], float(a["hours"])) for a in attended] == [("trainer", 4.0)]

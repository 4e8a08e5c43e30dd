"""Where the platform's e-mails go: bin/run's folder of files, the console, or a server."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEND = (
    "from django.core.mail import EmailMessage, mailers; "
    "EmailMessage('Reminder: CCB/2027/Q1', 'In 7 days.', 'sec@consult.invalid', "
    "['delegate@consult.invalid']).send(); "
    "print('SENT', type(mailers.default).__module__)"
)


def send_one(tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    """Send one e-mail from a fresh process configured by ``environ`` (settings are read once)."""
    env = {key: value for key, value in os.environ.items() if key != "EMAIL_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "consult.settings", "CONSULT_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SEND}"],
        cwd=ROOT,
        env=env | environ,
        capture_output=True,
        text=True,
        check=True,
    )


def test_the_run_commands_mail_goes_to_files_not_the_console(tmp_path):
    """filemail:// (bin/run's EMAIL_URL) writes each message under the data folder's mail/,
    and nothing of it reaches the console, where bin/run prints its banner."""
    sent = send_one(tmp_path, EMAIL_URL="filemail://")
    assert "Reminder" not in sent.stdout + sent.stderr
    (message,) = (tmp_path / "mail").iterdir()
    assert "Subject: Reminder: CCB/2027/Q1" in message.read_text()


def test_filemail_with_a_folder_writes_there(tmp_path):
    """filemail:///some/folder names the folder."""
    send_one(tmp_path / "data", EMAIL_URL=f"filemail://{tmp_path / 'elsewhere'}")
    assert len(list((tmp_path / "elsewhere").iterdir())) == 1
    assert not (tmp_path / "data" / "mail").exists()


def test_without_email_url_mail_is_printed(tmp_path):
    """Outside bin/run the default stays the console (refused by check --deploy)."""
    sent = send_one(tmp_path)
    assert "Subject: Reminder: CCB/2027/Q1" in sent.stdout
    assert not (tmp_path / "mail").exists()


def test_bin_run_sends_mail_to_files_and_says_where():
    """bin/run sets filemail:// unless EMAIL_URL is given, and its banner names the folder."""
    script = (ROOT / "bin" / "run").read_text()
    assert 'export EMAIL_URL="${EMAIL_URL:-filemail://}"' in script
    banner = script[script.index("cat <<BANNER") :]
    assert "E-mails sent: one file each in $data_dir/mail/" in banner

"""Production settings refuse to start without their secrets, and pass Django's deployment checks."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET = "x7#Qk2!vL9zP4mR8tW1nB6yC3hJ5dF0sG7aE2uK9oI4pZ8qX1cV6bN3mL5jH0gT"


class ProductionSettingsTests(SimpleTestCase):
    def run_python(self, *args, **env_vars):
        """Run the project's Python in a fresh process with only the given Django variables set."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL", "PYTEST", "WAGTAILADMIN_BASE_URL"))
        }
        env["DATABASE_URL"] = f"sqlite:///{self.tmp_dir / 'check.sqlite3'}"
        env["DJANGO_MEDIA_ROOT"] = str(self.tmp_dir / "media")
        env.update(env_vars)
        return subprocess.run(
            [sys.executable, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="qingshan-settings-")
        self.addCleanup(tmp.cleanup)
        self.tmp_dir = Path(tmp.name)

    def import_production(self, **env_vars):
        return self.run_python("-c", "import config.settings.production", **env_vars)

    def test_production_without_secret_key_fails_naming_the_variable(self):
        result = self.import_production(DJANGO_ALLOWED_HOSTS="example.com")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("DJANGO_SECRET_KEY", result.stderr)

    def test_production_with_blank_secret_key_fails_naming_the_variable(self):
        result = self.import_production(DJANGO_SECRET_KEY="   ", DJANGO_ALLOWED_HOSTS="example.com")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY", result.stderr)

    def test_production_without_allowed_hosts_fails_naming_the_variable(self):
        result = self.import_production(DJANGO_SECRET_KEY=STRONG_SECRET)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("DJANGO_ALLOWED_HOSTS", result.stderr)

    def test_production_with_both_variables_imports(self):
        result = self.run_python(
            "-c",
            "import config.settings.production as s; print(s.DEBUG, s.ALLOWED_HOSTS)",
            DJANGO_SECRET_KEY=STRONG_SECRET,
            DJANGO_ALLOWED_HOSTS="www.example.com, example.com",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "False ['www.example.com', 'example.com']")

    def test_deploy_check_passes_without_warnings(self):
        result = self.run_python(
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=config.settings.production",
            DJANGO_SECRET_KEY=STRONG_SECRET,
            DJANGO_ALLOWED_HOSTS="example.com",
        )
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output)
        self.assertNotIn("WARNING", output)
        self.assertIn("System check identified no issues", output)

    def test_base_settings_have_no_debug_and_no_secret_by_default(self):
        result = self.run_python("-c", "import config.settings.base as s; print(s.DEBUG, repr(s.SECRET_KEY))")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "False ''")

    def test_load_demo_is_refused_under_production_settings(self):
        result = self.run_python(
            "manage.py",
            "load_demo",
            "--settings=config.settings.production",
            DJANGO_SECRET_KEY=STRONG_SECRET,
            DJANGO_ALLOWED_HOSTS="example.com",
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("load_demo", result.stderr)
        self.assertNotIn("密码", result.stdout)

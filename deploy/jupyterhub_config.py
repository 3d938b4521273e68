"""JupyterHub configuration of the crmlab class server (``jupyterhub -f`` this file).

Everything site-specific comes from the settings file that ``course.py hub start`` writes
(``$CRMLAB_HUB_SETTINGS``, in ``<state>/hub/``): the roster, the lecturer, the address,
the limits. Components, all maintained by the Jupyter project: JupyterHub with
configurable-http-proxy, ``jupyterhub-firstuseauthenticator`` (a student sets a password
at the first login; only roster members may log in), the local-process spawner (each
student's JupyterLab runs as their own system account) or, where systemd runs, the
systemd spawner (memory and CPU limits as cgroups), and ``jupyterhub-idle-culler``.
"""

import json
import os
import resource
import shutil
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner

c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)
settings = json.loads(Path(os.environ["CRMLAB_HUB_SETTINGS"]).read_text(encoding="utf-8"))
state, venv, course = (Path(settings[key]) for key in ("state", "venv", "course"))
python = str(venv / "bin" / "python")
students = settings["students"]
MIB = 2 ** 20

# --- where it listens; its private files ---------------------------------------------
c.JupyterHub.ip = settings["ip"]
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = str(state / "hub" / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'hub' / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "hub" / "jupyterhub_cookie_secret")
if settings.get("ssl_cert"):  # HTTPS with the certificate the lecturer provides
    c.JupyterHub.ssl_cert = settings["ssl_cert"]
    c.JupyterHub.ssl_key = settings["ssl_key"]
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server

# --- who may log in --------------------------------------------------------------------
c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
c.FirstUseAuthenticator.dbm_path = str(state / "hub" / "passwords.dbm")
c.FirstUseAuthenticator.create_users = False  # a name not on the roster is refused
c.FirstUseAuthenticator.min_password_length = 8
c.Authenticator.allowed_users = {s["account"] for s in students}
c.Authenticator.allow_existing_users = False  # dropped from the roster: no more login
c.Authenticator.admin_users = {settings["lecturer"]}
# students log in with their 学号; the account may carry a prefix (all-digit Linux names
# are not allowed)
c.Authenticator.username_map = {s["id"].lower(): s["account"] for s in students
                                if s["id"].lower() != s["account"]}

# the login page is JupyterHub's (English); the rule that matters, in Chinese above it
c.JupyterHub.template_vars = {"announcement_login": (
    "用学号登录。第一次登录时输入的密码（至少 8 位）就成为你的密码，请记住它。"
    "<br>Log in with your student id; the password you type the first time becomes yours.")}

# --- each student's JupyterLab ---------------------------------------------------------
c.Spawner.cmd = [python, str(course / "deploy" / "singleuser.py")]
c.Spawner.args = ["--LabApp.custom_css=True"]  # the course font (tools/setup_lab.py)
c.Spawner.default_url = "/lab/tree/course/notebooks/00_overview.ipynb"
c.Spawner.environment = {
    "CRMLAB_COURSE": str(course),
    "CRMLAB_EXCHANGE": str(state / "exchange"),
    "CRMLAB_DEADLINES": str(state / "deadlines.csv"),
    "PYTHONPATH": str(course),  # crmlab from the read-only course copy
    "PYTHONHASHSEED": "0",
    "LANG": "C.UTF-8",
}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.mem_limit = f"{settings['mem_limit_mb']}M"
c.Spawner.cpu_limit = float(settings["cpu_limit"])


class LimitedLocalProcessSpawner(LocalProcessSpawner):
    """The local-process spawner with per-process limits (where no systemd runs).

    Each process of a student gets ``mem_limit`` of address space and the student at most
    ``max_processes`` processes (a fork bomb stops there); servers run at nice 5 so the
    hub stays responsive. These are process limits, not a per-student total: systemd's
    cgroups (the systemd spawner) cap a student's sum.
    """

    def make_preexec_fn(self, name):
        """Switch to the student's account, then lower the limits."""
        switch_user = super().make_preexec_fn(name)
        memory = int(settings["mem_limit_mb"]) * MIB
        processes = int(settings["max_processes"])

        def preexec():
            switch_user()
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
            os.nice(5)

        return preexec


if Path("/run/systemd/system").is_dir() and shutil.which("systemd-run"):
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.unit_name_template = "crmlab-{USERNAME}"
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.disable_user_sudo = True
else:
    c.JupyterHub.spawner_class = LimitedLocalProcessSpawner

# --- idle servers are stopped ----------------------------------------------------------
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [python, "-m", "jupyterhub_idle_culler",
                f"--timeout={int(settings['idle_timeout'])}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
# a token for scripts (the load benchmark, a lecturer's own tools): set in the environment
# of `course.py hub start`, never stored in the repository
if os.environ.get("CRMLAB_HUB_API_TOKEN"):
    c.JupyterHub.services.append({"name": "crmlab-admin",
                                  "api_token": os.environ["CRMLAB_HUB_API_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "admin", "services": ["crmlab-admin"]})

"""Demo mode: synthetic patients behind a read-only FHIR facade, a demo EHR page that sends real CDS
Hooks calls, and the review page a card's smart link opens."""

from .allowlist import with_demo_fhir_server
from .pages import install_pages
from .patients import DemoPatients, PatientSummary, load_demo_patients
from .routes import install_demo

__all__ = [
    "DemoPatients",
    "PatientSummary",
    "install_demo",
    "install_pages",
    "load_demo_patients",
    "with_demo_fhir_server",
]

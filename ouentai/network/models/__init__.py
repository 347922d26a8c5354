"""The support network's records, one module per subject: the directory of support organizations
(directory), experts (experts), and dispatch schemes with their requests and visits (dispatch)."""

from ouentai.network.models.directory import KeyPerson, PartnerAccount, SupportContact, SupportOrganization
from ouentai.network.models.dispatch import DispatchRequest, DispatchScheme, DispatchVisit
from ouentai.network.models.experts import Expert, Qualification, Skill

__all__ = [
    "DispatchRequest",
    "DispatchScheme",
    "DispatchVisit",
    "Expert",
    "KeyPerson",
    "PartnerAccount",
    "Qualification",
    "Skill",
    "SupportContact",
    "SupportOrganization",
]

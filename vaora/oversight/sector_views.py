"""Pages of the sector axis: organisation groups kept by their boards, and the weekly ranking
of the units an official oversees. Rules in groups.py and ranking.py; these views read forms
and render."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vaora.core import exports
from vaora.core.errors import VaoraError
from vaora.core.forms import VietnameseChoiceField, add_refusal
from vaora.core.models import Place
from vaora.core.scoping import places_in_area
from vaora.oversight import accounts, compliance, groups, ranking
from vaora.oversight.views import PER_PAGE, uploaded
from vaora.venues.models import OrganisationGroup, Sector


class GroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    code = forms.CharField(label=gettext_lazy("Code (e.g. kcn-nam-cam)"), max_length=40)
    category = forms.ChoiceField(label=gettext_lazy("Kind of group"),
                                 choices=OrganisationGroup.Category.choices)  # fmt: skip
    territory = VietnameseChoiceField(label=gettext_lazy("Where its members are (optional)"),
                                      queryset=Place.objects.none(), required=False)  # fmt: skip
    sector = forms.ModelChoiceField(label=gettext_lazy("Board that keeps it (sector)"),
                                    queryset=Sector.objects.none(), required=False,
                                    to_field_name="code")  # fmt: skip

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = places_in_area(user)
        self.fields["sector"].queryset = accounts.sectors_for(user)


@login_required
def group_list(request):
    rows = groups.groups_for(request.user)
    may_create = groups.may_create(request.user)
    form = GroupForm(request.user, request.POST or None) if may_create else None
    status = 200
    if form is not None and form.is_bound and form.is_valid():
        try:
            group = groups.create_group(request.user, **form.cleaned_data)
            messages.success(request, _("The group %(name)s is created.") % {"name": group.name})
            return redirect("oversight:group", group.pk)
        except VaoraError as error:
            add_refusal(form, error)
            status = error.status
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "oversight/groups.html", {"page": page, "form": form},
                  status=status)  # fmt: skip


@login_required
def group_detail(request, group_id: int):
    group = groups.get_group(request.user, group_id)
    report = None
    if request.method == "POST" and (upload := uploaded(request)):
        report = groups.import_members(request.user, group.pk, upload.file, upload.name)
    rows = groups.members(group, request.GET.get("q", ""))
    if request.GET.get("fmt"):
        compliance.record_list_read(request.user, "group_members_export", rows.count())
        return exports.response(request.GET["fmt"], *groups.member_table(rows),
                                f"vaora-{group.code}")  # fmt: skip
    find = request.GET.get("find", "")
    context = {
        "group": group, "report": report, "q": request.GET.get("q", ""), "find": find,
        "page": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "found": groups.candidates(request.user, group, find) if find else None,
        "history": groups.history(group)[:20],
    }  # fmt: skip
    return render(request, "oversight/group.html", context)


@login_required
@require_POST
def add_members(request, group_id: int):
    codes = request.POST.get("codes", "").replace(",", " ").split()
    ids = [int(v) for v in request.POST.getlist("organisation") if v.isdigit()]
    try:
        result = groups.add_members(request.user, group_id, registry_codes=codes,
                                    organisation_ids=ids)  # fmt: skip
    except VaoraError as error:
        if error.status in (403, 404):  # not theirs: as if the group did not exist
            raise
        messages.error(request, error.message)
        return redirect("oversight:group", group_id)
    messages.success(request, _("%(n)d organisations added (%(m)d were already members).")
                     % {"n": result.added, "m": result.already})  # fmt: skip
    if result.unknown:
        messages.warning(request, _("No organisation in reach has these codes: %(codes)s")
                         % {"codes": ", ".join(result.unknown[:20])})  # fmt: skip
    return redirect("oversight:group", group_id)


@login_required
@require_POST
def remove_member(request, group_id: int, org_id: int):
    membership = groups.remove_member(request.user, group_id, org_id)
    messages.success(request, _("%(name)s has left the group from today.")
                     % {"name": membership.organisation.name})  # fmt: skip
    return redirect("oversight:group", group_id)


@login_required
def weekly_ranking(request):
    compliance.require_overseer(request.user)
    try:
        asked = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        asked = None
    monday = ranking.week_of(asked)
    units = ranking.ranking(request.user, monday)
    if request.GET.get("fmt"):
        compliance.record_list_read(request.user, "ranking_export", len(units))
        return exports.response(request.GET["fmt"], *ranking.table(units),
                                f"vaora-ranking-{monday.isoformat()}")  # fmt: skip
    context = {"page": Paginator(units, PER_PAGE).get_page(request.GET.get("page")),
               "monday": monday, "sunday": monday + datetime.timedelta(days=6),
               "previous": monday - datetime.timedelta(days=7),
               "next": monday + datetime.timedelta(days=7)}  # fmt: skip
    return render(request, "oversight/ranking.html", context)

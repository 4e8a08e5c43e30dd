"""The demo papers' texts: what a secretariat and delegations would file for a quarter."""

from agenda.models import Session

ARRANGEMENTS = """
<h2>Practical arrangements</h2>
<p>The session is held in the Hofburg, Vienna, in the Neuer Saal. Delegations are
invited to register their members with the secretariat no later than seven days
before the opening. Interpretation is provided in English, French and Russian.</p>
<h3>Timetable</h3>
<table>
<thead><tr><th scope="col">Time (Vienna)</th><th scope="col">Business</th></tr></thead>
<tbody>
<tr><td>09:30</td><td>Opening by the chair; adoption of the agenda</td></tr>
<tr><td>10:00</td><td>Items 1 and 2</td></tr>
<tr><td>13:00</td><td>Lunch offered by the chair</td></tr>
<tr><td>14:30</td><td>Items 3 to 5; closing</td></tr>
</tbody>
</table>
<p>The provisional agenda and the papers of each item are available on the
platform. Questions: <a href="mailto:secretariat@consult.invalid">the secretariat</a>.</p>
"""


UKRAINE_BACKGROUND = """
<h2>Background paper</h2>
<p>This paper, prepared by the secretariat under its own responsibility, summarises
the developments since the last regular session as reported in open sources and
in the papers filed by delegations. It does not reflect the position of any party.</p>
<h3>1. Security situation</h3>
<p>Fighting along the line of contact remained intense in the eastern sectors,
with a reported increase in the use of long-range drones against energy
infrastructure. Both sides report strikes on logistics hubs far from the front.</p>
<h3>2. Humanitarian access</h3>
<ul>
<li>Access for humanitarian convoys to front-line settlements remained irregular.</li>
<li>Two exchanges of prisoners of war took place, mediated by third parties.</li>
<li>Winter preparedness of the power grid is the main humanitarian concern.</li>
</ul>
<h3>3. Risks of escalation</h3>
<p>Delegations have pointed to three risks: incidents involving nuclear power
plants, strikes near the borders of neighbouring states, and incidents at sea in
the western Black Sea. Item 4 of the agenda takes up the last of them.</p>
<h3>4. Questions for the discussion</h3>
<ol>
<li>Which channels of communication work in an incident, and which do not?</li>
<li>Can the parties agree on notification of strikes near nuclear facilities?</li>
<li>What role can the body play in support of humanitarian arrangements?</li>
</ol>
"""


PLANNING_NOTE = """
<h2>Internal planning note</h2>
<p>Not for distribution to delegations.</p>
<ul>
<li>The chair wishes to close item 3 with a chair's summary rather than agreed text.</li>
<li>Interpretation booths: confirm the Russian booth for the afternoon.</li>
<li>Ukraine's delegation arrives for item 1 only; seat it at the end of the table.</li>
</ul>
"""


US_POSITION = """
<h2>Incidents at sea and in the air</h2>
<p>The United States proposes that the body examine how the principles of the
1972 Agreement on the Prevention of Incidents On and Over the High Seas could
guide the conduct of military aircraft and uncrewed systems.</p>
<h3>Elements for discussion</h3>
<ol>
<li>Safe distances for intercepts, and no simulated attacks on aircraft or ships.</li>
<li>Use of agreed signals and of a common radio frequency.</li>
<li>Annual review of incidents between the parties' navies and air forces.</li>
</ol>
<p>The United States is ready to share its national procedures in this framework.</p>
"""


RUS_POSITION = """
<h2>Об инициативах по деэскалации в Чёрном море</h2>
<p>Российская сторона предлагает рассмотреть меры по уведомлению о крупных
военно-морских учениях и механизм оперативной связи между штабами флотов.</p>
<ul>
<li>Уведомление не менее чем за 30 дней.</li>
<li>Прямая линия связи между командованиями.</li>
<li>Ежегодный обмен информацией об инцидентах.</li>
</ul>
"""  # noqa: RUF001 (Russian text)


SCENARIO = """
<h2>Scenario: a winter blackout</h2>
<p><strong>Day 1, 06:10.</strong> The control centre of a cross-border power
grid loses visibility of three substations. Within an hour, two million
households are without power in sub-zero temperatures.</p>
<p><strong>Day 1, 11:00.</strong> A group claims the attack online. Two seat-holders'
agencies privately attribute it to a state actor; a third disagrees.</p>
<p><strong>Day 2.</strong> Public pressure mounts for a response. Each delegation
decides what it communicates, to whom, and through which channel.</p>
<p>Facilitators will send injects during the exercise to individual delegations.</p>
"""


def note_text(party: str, session: Session) -> str:
    return f"""
<h2>Talking points for {session.number}</h2>
<p>Internal to the delegation of {party}. Not for circulation.</p>
<h3>Item 1</h3>
<ul>
<li>Welcome the invitation of Ukraine for the item; keep the discussion on risks of
escalation and humanitarian access.</li>
<li>Ask the secretariat to follow up on the notification of strikes near nuclear
facilities.</li>
</ul>
<h3>Item 3 (Chatham House)</h3>
<p>Be ready to support a chair's summary. Do not quote other delegations outside
the room.</p>
<h3>Fallback</h3>
<p>If item 4 stalls, propose a working group reporting to the next session.</p>
"""

"""Word lists of the demo: fictional people, real bassins and communes of the académie de Nancy-Metz, NAF sectors."""

from __future__ import annotations

from typing import NamedTuple

from poledesk.data.enums import Audience, EstablishmentKind, LegalKind

A = Audience


class Sector(NamedTuple):
    """A real NAF rév. 2 sous-classe and what a partner of that sector looks like in the demo."""

    naf: str
    label: str                   # INSEE's label, as naf.naf_label gives it (and Partner.sector holds)
    kind: LegalKind
    weight: int
    size: str                    # key of HEADCOUNT_PROFILES
    tutor_role: tuple[str, str]  # (masculine, feminine)
    tags: str
    formations: tuple[str, ...]  # codes of FORMATIONS this sector hosts
    names: tuple[str, ...]       # templates: {nom} {prenom} {commune} {de} (de/d'/du + commune) {lieu}


class FormationSpec(NamedTuple):
    code: str
    label: str
    audience: Audience
    pfmp_weeks: int
    short: str


class BassinSpec(NamedTuple):
    code: str
    name: str
    communes: tuple[tuple[str, str, int], ...]  # (commune, postcode, weight); the first is the seat


E, AS, AD, CO, PB = (LegalKind.COMPANY, LegalKind.ASSOCIATION, LegalKind.ADMINISTRATION,
                     LegalKind.LOCAL_AUTHORITY, LegalKind.PUBLIC_BODY)
OBS = ("OBS-3E", "2GT")

SECTORS: tuple[Sector, ...] = (
    Sector("47.11F", "Hypermarchés", E, 3, "ge", ("Manager de rayon", "Manageuse de rayon"),
           "commerce; grande distribution", OBS + ("CAP-EPC", "BP-MCVA", "BP-LOG", "BTS-MCO"),
           ("Hypermarché {de}", "Hyper Lorraine {commune}")),
    Sector("47.11D", "Supermarchés", E, 6, "pme", ("Responsable de rayon", "Responsable de rayon"),
           "commerce; alimentaire", OBS + ("CAP-EPC", "BP-MCVA", "BTS-MCO"),
           ("Supermarché {lieu}", "Le Marché {de}")),
    Sector("47.11B", "Commerce d'alimentation générale", E, 4, "tpe", ("Gérant", "Gérante"),
           "commerce; proximité", ("OBS-3E", "CAP-EPC", "BP-MCVA"),
           ("Épicerie {nom}", "Épicerie {lieu}", "Alimentation {nom}")),
    Sector("47.19B", "Autres commerces de détail en magasin non spécialisé", E, 2, "pme",
           ("Responsable de magasin", "Responsable de magasin"), "commerce", ("OBS-3E", "CAP-EPC", "BP-MCVA"),
           ("Bazar {lieu}", "Maison et Déco {commune}", "Solderie {nom}")),
    Sector("47.71Z", "Commerce de détail d'habillement en magasin spécialisé", E, 6, "tpe",
           ("Responsable de boutique", "Responsable de boutique"), "commerce; mode",
           OBS + ("CAP-EPC", "BP-MCVA", "BTS-MCO"), ("Boutique {prenom}", "Mode {nom}", "{prenom} Prêt-à-porter")),
    Sector("47.73Z", "Commerce de détail de produits pharmaceutiques en magasin spécialisé", E, 6, "tpe",
           ("Pharmacien adjoint", "Pharmacienne adjointe"), "santé; commerce", OBS + ("BP-MCVA", "BP-ASSP"),
           ("Pharmacie {lieu}", "Pharmacie {nom}")),
    Sector("47.76Z", "Commerce de détail de fleurs, plantes, graines, engrais, animaux de compagnie et aliments "
           "pour ces animaux en magasin spécialisé", E, 3, "tpe", ("Fleuriste", "Fleuriste"),
           "commerce; artisanat", OBS + ("CAP-EPC", "BP-MCVA"), ("Fleurs {prenom}", "L'Atelier floral {lieu}")),
    Sector("47.52B", "Commerce de détail de quincaillerie, peintures et verres en grandes surfaces (400 m2et plus)",
           E, 2, "ge", ("Chef de secteur", "Cheffe de secteur"), "commerce; bricolage",
           OBS + ("CAP-EPC", "BP-MCVA", "BP-LOG", "BTS-MCO"), ("Brico {commune}", "Bricolage {lieu}")),
    Sector("47.64Z", "Commerce de détail d'articles de sport en magasin spécialisé", E, 2, "pme",
           ("Responsable de rayon", "Responsable de rayon"), "commerce; sport",
           OBS + ("CAP-EPC", "BP-MCVA", "BTS-MCO"), ("Sport {commune}", "Espace Glisse {prenom}")),
    Sector("47.78A", "Commerces de détail d'optique", E, 2, "tpe", ("Opticien", "Opticienne"), "commerce; santé",
           OBS + ("BP-MCVA",), ("Optique {nom}", "Optique {lieu}")),
    Sector("47.41Z", "Commerce de détail d'ordinateurs, d'unités périphériques et de logiciels en magasin "
           "spécialisé", E, 2, "tpe", ("Technicien", "Technicienne"), "numérique; commerce",
           OBS + ("BP-MCVA", "BTS-SIO"), ("Info Services {commune}", "PC {nom}")),
    Sector("10.71C", "Boulangerie et boulangerie-pâtisserie", E, 10, "tpe", ("Boulanger", "Boulangère"),
           "artisanat; alimentaire", ("OBS-3E", "CAP-BOUL", "CAP-EPC", "APP-PAT"),
           ("Boulangerie {nom}", "Au Fournil {lieu}", "Boulangerie-pâtisserie {nom}", "La Mie {de}")),
    Sector("10.71D", "Pâtisserie", E, 3, "tpe", ("Pâtissier", "Pâtissière"), "artisanat; alimentaire",
           ("OBS-3E", "CAP-EPC", "APP-PAT"), ("Pâtisserie {nom}", "Aux Délices {lieu}")),
    Sector("47.22Z", "Commerce de détail de viandes et de produits à base de viande en magasin spécialisé", E, 3,
           "tpe", ("Boucher", "Bouchère"), "artisanat; alimentaire", ("OBS-3E", "CAP-EPC"),
           ("Boucherie {nom}", "Boucherie-charcuterie {lieu}")),
    Sector("56.10A", "Restauration traditionnelle", E, 14, "tpe", ("Chef de cuisine", "Cheffe de cuisine"),
           "hôtellerie-restauration", OBS + ("CAP-CUIS", "BP-CUIS"),
           ("Restaurant {lieu}", "Brasserie {lieu}", "Auberge {lieu}", "Le Bistrot de {prenom}",
            "La Table de {prenom}", "Le Relais {de}")),
    Sector("56.10C", "Restauration de type rapide", E, 5, "pme", ("Responsable de salle", "Responsable de salle"),
           "restauration rapide", ("OBS-3E", "CAP-EPC", "CAP-CUIS"),
           ("Snack {lieu}", "Le Comptoir {lieu}", "Pizzeria {prenom}")),
    Sector("56.29A", "Restauration collective sous contrat", E, 2, "ge", ("Chef de production", "Cheffe de production"),
           "restauration collective", ("CAP-CUIS", "BP-CUIS"),
           ("Cuisine centrale {de}", "Restauration collective {nom}")),
    Sector("55.10Z", "Hôtels et hébergement similaire", E, 4, "pme",
           ("Responsable d'hébergement", "Responsable d'hébergement"), "hôtellerie-restauration; tourisme",
           OBS + ("CAP-CUIS", "BP-CUIS", "BP-AGORA"), ("Hôtel {lieu}", "Hôtel {nom}", "Hôtel-restaurant {lieu}")),
    Sector("45.20A", "Entretien et réparation de véhicules automobiles légers", E, 12, "tpe",
           ("Chef d'atelier", "Cheffe d'atelier"), "automobile; mécanique", ("OBS-3E", "CAP-MVVP", "BP-MVVP"),
           ("Garage {nom}", "Garage {lieu}", "Auto Services {commune}", "Carrosserie {nom}")),
    Sector("45.11Z", "Commerce de voitures et de véhicules automobiles légers", E, 4, "pme",
           ("Chef d'atelier", "Cheffe d'atelier"), "automobile; commerce",
           OBS + ("CAP-MVVP", "BP-MVVP", "BP-MCVA", "BTS-MCO"), ("{commune} Automobiles", "Automobiles {nom}")),
    Sector("45.32Z", "Commerce de détail d'équipements automobiles", E, 2, "pme",
           ("Responsable d'atelier", "Responsable d'atelier"), "automobile; commerce",
           ("OBS-3E", "CAP-MVVP", "CAP-EPC", "BP-MCVA"), ("Centre Auto {commune}", "Pneus {nom}")),
    Sector("43.21A", "Travaux d'installation électrique dans tous locaux", E, 10, "tpe",
           ("Chef de chantier", "Cheffe de chantier"), "BTP; électricité", ("OBS-3E", "CAP-ELEC", "BP-MELEC"),
           ("Électricité {nom}", "{nom} Électricité générale", "Élec {commune}")),
    Sector("43.22A", "Travaux d'installation d'eau et de gaz en tous locaux", E, 6, "tpe",
           ("Chef d'équipe", "Cheffe d'équipe"), "BTP; plomberie", ("OBS-3E", "BP-ICCER"),
           ("Plomberie {nom}", "{nom} et fils Sanitaire")),
    Sector("43.22B", "Travaux d'installation d'équipements thermiques et de climatisation", E, 4, "tpe",
           ("Chef d'équipe", "Cheffe d'équipe"), "BTP; énergie", ("OBS-3E", "BP-ICCER", "BP-MELEC"),
           ("Thermique {nom}", "Chauffage {lieu}", "{nom} Énergies")),
    Sector("43.99C", "Travaux de maçonnerie générale et gros œuvre de bâtiment", E, 8, "tpe",
           ("Chef de chantier", "Cheffe de chantier"), "BTP; gros œuvre", ("OBS-3E", "CAP-MAC"),
           ("Maçonnerie {nom}", "{nom} Bâtiment", "Entreprise {nom}")),
    Sector("41.20A", "Construction de maisons individuelles", E, 2, "pme",
           ("Conducteur de travaux", "Conductrice de travaux"), "BTP", OBS + ("CAP-MAC", "BP-ICCER"),
           ("Maisons {lieu}", "{nom} Construction")),
    Sector("43.32A", "Travaux de menuiserie bois et PVC", E, 4, "tpe", ("Chef d'atelier", "Cheffe d'atelier"),
           "BTP; bois", ("OBS-3E", "CAP-MAC"), ("Menuiserie {nom}", "Menuiserie {lieu}")),
    Sector("43.34Z", "Travaux de peinture et vitrerie", E, 4, "tpe", ("Chef d'équipe", "Cheffe d'équipe"),
           "BTP; finitions", ("OBS-3E", "CAP-MAC"), ("Peinture {nom}", "{nom} Déco")),
    Sector("43.91B", "Travaux de couverture par éléments", E, 2, "tpe", ("Chef d'équipe", "Cheffe d'équipe"),
           "BTP; toiture", ("OBS-3E", "CAP-MAC"), ("Couverture {nom}", "Toitures {lieu}")),
    Sector("49.41A", "Transports routiers de fret interurbains", E, 3, "pme",
           ("Responsable d'exploitation", "Responsable d'exploitation"), "transport; logistique",
           ("OBS-3E", "BP-LOG"), ("Transports {nom}", "{nom} Logistique")),
    Sector("52.10B", "Entreposage et stockage non frigorifique", E, 3, "ge", ("Chef d'équipe", "Cheffe d'équipe"),
           "logistique", OBS + ("BP-LOG", "CAP-EPC"), ("Entrepôts {de}", "Plateforme logistique {lieu}")),
    Sector("62.01Z", "Programmation informatique", E, 3, "pme", ("Développeur", "Développeuse"), "numérique",
           OBS + ("BTS-SIO",), ("{nom} Informatique", "Atelier numérique {lieu}", "Logiciels {nom}")),
    Sector("69.20Z", "Activités comptables", E, 4, "pme", ("Expert-comptable", "Experte-comptable"),
           "gestion; tertiaire", OBS + ("BP-AGORA", "BTS-CG"), ("Cabinet {nom}", "{nom} Expertise comptable")),
    Sector("68.31Z", "Agences immobilières", E, 2, "tpe", ("Négociateur", "Négociatrice"), "immobilier; tertiaire",
           OBS + ("BP-AGORA", "BP-MCVA"), ("Agence immobilière {lieu}", "{nom} Immobilier")),
    Sector("75.00Z", "Activités vétérinaires", E, 2, "tpe", ("Vétérinaire", "Vétérinaire"), "santé animale", OBS,
           ("Clinique vétérinaire {lieu}", "Cabinet vétérinaire {nom}")),
    Sector("81.30Z", "Services d'aménagement paysager", E, 3, "tpe", ("Chef d'équipe", "Cheffe d'équipe"),
           "espaces verts", OBS, ("Paysages {nom}", "Jardins {lieu}")),
    Sector("84.11Z", "Administration publique générale", CO, 5, "pme",
           ("Responsable des services techniques", "Responsable des services techniques"),
           "collectivité; service public", ("OBS-4E", "OBS-3E", "2GT", "BP-AGORA"),
           ("Mairie {de}", "Centre technique municipal {de}")),
    Sector("84.24Z", "Activités d'ordre public et de sécurité", AD, 1, "pme", ("Chef de service", "Cheffe de service"),
           "service public; sécurité", ("OBS-4E", "OBS-3E", "2GT"),
           ("Commissariat {de}", "Brigade de gendarmerie {de}")),
    Sector("86.10Z", "Activités hospitalières", PB, 2, "ge", ("Cadre de santé", "Cadre de santé"), "santé; hôpital",
           OBS + ("BP-ASSP", "BP-AGORA"), ("Centre hospitalier {de}",)),
    Sector("87.10A", "Hébergement médicalisé pour personnes âgées", AS, 4, "pme",
           ("Infirmier coordinateur", "Infirmière coordinatrice"), "santé; grand âge", OBS + ("BP-ASSP", "CAP-CUIS"),
           ("EHPAD {lieu}", "Résidence {lieu}")),
    Sector("88.10A", "Aide à domicile", AS, 2, "pme", ("Responsable de secteur", "Responsable de secteur"),
           "service à la personne", ("BP-ASSP", "CAP-AEPE"), ("Aide à domicile {de}", "Services à domicile {lieu}")),
    Sector("88.91A", "Accueil de jeunes enfants", AS, 5, "tpe",
           ("Éducateur de jeunes enfants", "Éducatrice de jeunes enfants"), "petite enfance",
           OBS + ("CAP-AEPE", "BP-ASSP"), ("Crèche {lieu}", "Multi-accueil {de}", "Micro-crèche {prenom}")),
    Sector("88.99B", "Action sociale sans hébergement n.c.a.", AS, 2, "tpe", ("Animateur", "Animatrice"),
           "social; animation", OBS + ("BP-ASSP",),
           ("Centre social {lieu}", "Maison des jeunes et de la culture {de}")),
    Sector("93.12Z", "Activités de clubs de sports", AS, 3, "tpe", ("Éducateur sportif", "Éducatrice sportive"),
           "sport; association", OBS, ("Football club {de}", "Association sportive {de}", "Judo club {de}")),
    Sector("96.02A", "Coiffure", E, 10, "tpe", ("Coiffeur", "Coiffeuse"), "coiffure; artisanat",
           ("OBS-3E", "CAP-COIF"), ("Salon {prenom}", "{prenom} Coiffure", "L'Atelier {prenom}", "Coiffure {lieu}")),
    Sector("96.02B", "Soins de beauté", E, 3, "tpe", ("Esthéticien", "Esthéticienne"), "beauté",
           ("OBS-3E", "BP-MCVA"), ("Institut {prenom}", "Beauté {lieu}")),
    Sector("25.62B", "Mécanique industrielle", E, 3, "pme", ("Chef d'atelier", "Cheffe d'atelier"),
           "industrie; mécanique", OBS + ("CAP-ELEC", "BP-MELEC"), ("Mécanique {nom}", "{nom} Usinage")),
    Sector("64.19Z", "Autres intermédiations monétaires", E, 2, "ge", ("Conseiller clientèle", "Conseillère clientèle"),
           "banque; tertiaire", OBS + ("BP-AGORA", "BTS-CG"), ("Banque régionale de Lorraine, agence {de}",)),
    Sector("66.22Z", "Activités des agents et courtiers d'assurances", E, 2, "tpe",
           ("Agent général", "Agente générale"),
           "assurance; tertiaire", OBS + ("BP-AGORA", "BP-MCVA"), ("Cabinet {nom} Assurances", "Assurances {nom}")),
)

HEADCOUNT_PROFILES = {"tpe": (70, 25, 5, 0), "pme": (25, 50, 20, 5), "ge": (0, 15, 45, 40)}
"""Weights of the headcount bands (0-9, 10-49, 50-249, 250+) by size profile."""

FORMATIONS: tuple[FormationSpec, ...] = (
    FormationSpec("OBS-4E", "Séquence d'observation en classe de 4e", A.OBSERVATION_4E_3E, 1, "4e"),
    FormationSpec("OBS-3E", "Stage d'observation en milieu professionnel de 3e", A.OBSERVATION_4E_3E, 1, "3e"),
    FormationSpec("2GT", "Stage de seconde générale et technologique", A.SECONDE_GT, 2, "2nde"),
    FormationSpec("CAP-EPC", "CAP Équipier polyvalent du commerce", A.PFMP_CAP, 7, "EPC"),
    FormationSpec("CAP-CUIS", "CAP Cuisine", A.PFMP_CAP, 7, "Cuisine"),
    FormationSpec("CAP-BOUL", "CAP Boulanger", A.PFMP_CAP, 7, "Boulanger"),
    FormationSpec("CAP-ELEC", "CAP Électricien", A.PFMP_CAP, 7, "Électricien"),
    FormationSpec("CAP-MAC", "CAP Maçon", A.PFMP_CAP, 7, "Maçon"),
    FormationSpec("CAP-MVVP", "CAP Maintenance des véhicules option A voitures particulières", A.PFMP_CAP, 7, "MV"),
    FormationSpec("CAP-AEPE", "CAP Accompagnant éducatif petite enfance", A.PFMP_CAP, 7, "AEPE"),
    FormationSpec("CAP-COIF", "CAP Métiers de la coiffure", A.PFMP_CAP, 7, "Coiffure"),
    FormationSpec("BP-MCVA", "Bac pro Métiers du commerce et de la vente option A Animation et gestion de l'espace "
                  "commercial", A.PFMP_BACPRO, 7, "MCV A"),
    FormationSpec("BP-AGORA", "Bac pro Assistance à la gestion des organisations et de leurs activités",
                  A.PFMP_BACPRO, 7, "AGOrA"),
    FormationSpec("BP-LOG", "Bac pro Logistique", A.PFMP_BACPRO, 7, "Logistique"),
    FormationSpec("BP-MELEC", "Bac pro Métiers de l'électricité et de ses environnements connectés", A.PFMP_BACPRO,
                  7, "MELEC"),
    FormationSpec("BP-MVVP", "Bac pro Maintenance des véhicules option A voitures particulières", A.PFMP_BACPRO, 7,
                  "MV"),
    FormationSpec("BP-ICCER", "Bac pro Installateur en chauffage, climatisation et énergies renouvelables",
                  A.PFMP_BACPRO, 7, "ICCER"),
    FormationSpec("BP-CUIS", "Bac pro Cuisine", A.PFMP_BACPRO, 7, "Cuisine"),
    FormationSpec("BP-ASSP", "Bac pro Accompagnement, soins et services à la personne", A.PFMP_BACPRO, 7, "ASSP"),
    FormationSpec("BTS-MCO", "BTS Management commercial opérationnel", A.STS, 7, "MCO"),
    FormationSpec("BTS-SIO", "BTS Services informatiques aux organisations", A.STS, 5, "SIO"),
    FormationSpec("BTS-CG", "BTS Comptabilité et gestion", A.STS, 5, "CG"),
    FormationSpec("APP-PAT", "CAP Pâtissier (apprentissage)", A.APPRENTICESHIP, 0, "Pâtissier"),
)

LP_FAMILIES = (
    ("CAP-EPC", "BP-MCVA", "BP-AGORA", "BP-LOG"),
    ("CAP-ELEC", "CAP-MVVP", "BP-MELEC", "BP-MVVP", "BP-ICCER"),
    ("CAP-CUIS", "CAP-BOUL", "BP-CUIS"),
    ("CAP-AEPE", "CAP-COIF", "BP-ASSP"),
)
BTS_CODES = ("BTS-MCO", "BTS-SIO", "BTS-CG")
EREA_CODES = ("CAP-EPC", "CAP-MAC", "CAP-CUIS")

# 25 establishments a pole: kind, how many.
ESTABLISHMENT_MIX = ((EstablishmentKind.COLLEGE, 12), (EstablishmentKind.LP, 4), (EstablishmentKind.LYCEE, 3),
                     (EstablishmentKind.LPO, 2), (EstablishmentKind.SEP, 1), (EstablishmentKind.EREA, 1),
                     (EstablishmentKind.CFA, 2))
SCHOOL_PREFIX = {
    EstablishmentKind.COLLEGE: "Collège", EstablishmentKind.LP: "Lycée professionnel",
    EstablishmentKind.LYCEE: "Lycée", EstablishmentKind.LPO: "Lycée polyvalent",
    EstablishmentKind.SEP: "Section d'enseignement professionnel du lycée", EstablishmentKind.EREA: "EREA",
}
REFERENT_ROLES = {  # who follows the placements in each kind of school; DDFPT elsewhere
    EstablishmentKind.COLLEGE: ("Principal adjoint", "Principale adjointe"),
    EstablishmentKind.LYCEE: ("Proviseur adjoint", "Proviseure adjointe"),
    EstablishmentKind.CFA: ("Chargé des relations entreprises", "Chargée des relations entreprises"),
    EstablishmentKind.EREA: ("Responsable des stages", "Responsable des stages"),
}
CFA_NAMES = ("CFA des métiers de l'artisanat", "CFA du bâtiment et des travaux publics",
             "CFA de l'hôtellerie et de la restauration", "CFA interprofessionnel")
SCHOOL_PATRONS = (
    "Jules-Ferry", "Jean-Moulin", "Louise-Michel", "Georges-de-La-Tour", "Émile-Gallé", "Jacques-Callot",
    "Paul-Verlaine", "Marie-Curie", "Simone-Veil", "Victor-Hugo", "Jean-Lurçat", "Claude-Bernard", "Jean-Zay",
    "Lucie-Aubrac", "Robert-Schuman", "Camille-Claudel", "Hubert-Curien", "Pierre-de-Coubertin", "Gustave-Eiffel",
    "Jean-Prouvé", "Louis-Majorelle", "Antoine-de-Saint-Exupéry", "Germaine-Tillion", "Rosa-Parks", "Anne-Frank",
    "Olympe-de-Gouges", "Albert-Camus", "Charles-Péguy", "Édouard-Herriot", "Frédéric-Chopin", "Maurice-Barrès",
    "Jeanne-d'Arc", "La Fontaine", "Jean-Jaurès", "Joliot-Curie", "Paul-Langevin", "Émile-Zola", "Arthur-Rimbaud",
    "Alfred-Kastler", "Henri-Wallon", "Françoise-Dolto", "Léonard-de-Vinci", "René-Cassin", "Stanislas-Leszczynski",
)

WOMEN = (
    "Élodie", "Françoise", "Gaëlle", "Hélène", "Noémie", "Anaïs", "Chloé", "Camille", "Clémence", "Sophie",
    "Nathalie", "Isabelle", "Valérie", "Sandrine", "Céline", "Aurélie", "Émilie", "Laure", "Mélanie", "Béatrice",
    "Josiane", "Marie-Claude", "Anne-Sophie", "Lucie", "Jeanne", "Agathe", "Yasmine", "Sarah", "Fatima", "Aïcha",
    "Stéphanie", "Delphine", "Coralie", "Solène", "Maïwenn", "Éléonore", "Thérèse", "Geneviève", "Ophélie", "Justine",
    "Christelle", "Karine", "Audrey", "Séverine", "Virginie", "Magali", "Nadège", "Ingrid", "Leïla", "Myriam",
)
MEN = (
    "Jérôme", "Loïc", "Benoît", "Stéphane", "Frédéric", "Sébastien", "Grégory", "Cédric", "Nicolas", "Julien",
    "Thomas", "Mathieu", "François", "Rémi", "Hervé", "Gérard", "Pascal", "Thierry", "Éric", "Olivier", "Laurent",
    "Damien", "Maxime", "Gaël", "Joël", "Anthony", "Kévin", "Mehdi", "Karim", "Moussa", "Bastien", "Aurélien",
    "Florent", "Guillaume", "Jean-Luc", "Jean-Marc", "Pierre-Yves", "Timothée", "Baptiste", "Clément", "Adrien",
    "Christophe", "Fabrice", "Ludovic", "Yannick", "Régis", "Didier", "Patrice", "Hakim", "Samuel",
)
GIRLS = (
    "Léa", "Manon", "Chloé", "Inès", "Jade", "Lina", "Zoé", "Louise", "Emma", "Maëlys", "Lou", "Anaïs", "Noémie",
    "Océane", "Romane", "Yasmine", "Sarah", "Maïssa", "Éva", "Clara", "Lilou", "Ambre", "Nour", "Célia", "Mélissa",
    "Maëlle", "Agathe", "Héloïse", "Énora", "Alicia",
)
BOYS = (
    "Lucas", "Hugo", "Théo", "Nathan", "Enzo", "Mathéo", "Noé", "Raphaël", "Gabriel", "Louis", "Jules", "Adam",
    "Rayan", "Yanis", "Ilyès", "Mohamed", "Kylian", "Timéo", "Mathis", "Évan", "Loïc", "Sacha", "Nolan", "Maël",
    "Axel", "Bastien", "Quentin", "Killian", "Esteban", "Aurélien",
)
SURNAMES = (
    "Lefèvre", "Géraud", "Müller", "Thiébaut", "Haÿs", "N'Diaye", "Dupré-Lemoine", "Mangin", "Colin", "Didier",
    "Marchal", "Humbert", "Husson", "Jacquot", "Gérardin", "Petitjean", "Thomas", "Michel", "François", "Henry",
    "Simon", "Laurent", "Leroy", "Martin", "Bernard", "Petit", "Durand", "Dubois", "Robert", "Richard", "Morel",
    "Fournier", "Girard", "Bonnet", "Lambert", "Fontaine", "Rousseau", "Vincent", "Schmitt", "Klein", "Weber",
    "Schneider", "Meyer", "Wagner", "Becker", "Hoffmann", "Krebs", "Steiner", "Zimmermann", "Kieffer", "Schwartz",
    "Rémy", "Chrétien", "Noël", "Aubry", "Barbier", "Collignon", "Georges", "Lhuillier", "Mathieu", "Parisot",
    "Poirot", "Vuillaume", "Claudel", "Gaspard", "Grandjean", "Perrin", "Pierson", "Duval", "Étienne", "Benoît",
    "Masson", "Maire", "Cuny", "Antoine", "Jeandel", "Vautrin", "Villaume", "Nguyen", "Tran", "Da Silva",
    "Ferreira", "Pereira", "Rodrigues", "Kaya", "Yılmaz", "Öztürk", "Benali", "Haddad", "Bensaïd", "Diallo",
    "Traoré", "Koné", "Mendy", "Boukhari", "El Amrani", "Lemoine", "Leblanc", "Lecomte", "Béguin", "Février",
    "Jacquemin", "Thouvenin", "Thiéry", "Adam", "Gérard", "Hanriot", "Bégin", "Lévêque", "Chevalier", "Marquis",
)
PLACES = (
    "du Centre", "de la Gare", "du Marché", "des Halles", "du Parc", "de la Place", "du Lac", "des Vosges",
    "de Lorraine", "du Château", "des Tilleuls", "de la Poste", "du Moulin", "des Trois Rivières", "de la Moselle",
    "de la Meurthe", "du Plateau", "des Forges", "du Faubourg", "des Coteaux", "de l'Étang", "du Vieux Pont",
)
STREETS = (
    "rue de la République", "rue Victor-Hugo", "avenue Foch", "rue Jean-Jaurès", "rue Pasteur",
    "rue du Général-Leclerc", "avenue de la Libération", "rue Saint-Nicolas", "rue des Jardins", "rue de Metz",
    "rue de Nancy", "rue du Maréchal-Foch", "rue de l'Église", "place du Marché", "rue Gambetta",
    "boulevard Clemenceau", "rue des Écoles", "rue de la Gare", "rue du Moulin", "avenue du Général-de-Gaulle",
    "rue Émile-Zola", "rue Jeanne-d'Arc", "zone artisanale du Breuil", "rue des Vignes", "rue de Lorraine",
    "rue Raymond-Poincaré", "rue des Tanneurs", "allée des Tilleuls", "rue de la Paix", "rue du Stade",
)
INSURERS = ("MAIF", "AXA France", "Groupama Grand Est", "MMA", "Allianz", "MACIF", "Generali", "SMACL Assurances",
            "Crédit Agricole Assurances", "Covéa")

MANAGER_ROLES = {
    E: (("Gérant", "Gérante"), ("Directeur", "Directrice")),
    AS: (("Président", "Présidente"), ("Directeur", "Directrice")),
    CO: (("Maire", "Maire"), ("Directeur général des services", "Directrice générale des services")),
    AD: (("Chef de service", "Cheffe de service"),),
    PB: (("Directeur", "Directrice"),),
}
STAFF_ROLES = (
    ("Responsable des ressources humaines", "Responsable des ressources humaines"),
    ("Assistant de direction", "Assistante de direction"), ("Chargé de recrutement", "Chargée de recrutement"),
    ("Adjoint de direction", "Adjointe de direction"), ("Comptable", "Comptable"), ("Secrétaire", "Secrétaire"),
)
PAUSED_REASONS = ("Travaux dans les locaux jusqu'à la fin de l'année.", "Tuteur en congé, reprise prévue au printemps.",
                  "Changement de gérance en cours.", "Trop de demandes cette année : à recontacter à la rentrée.")
DO_NOT_CONTACT_REASONS = ("A demandé à ne plus être sollicité.", "Accueil inadapté constaté lors d'une visite.",
                          "Entreprise en liquidation judiciaire.", "Incident lors d'une PFMP : partenariat suspendu.")
PROSPECT_REASONS = ("", "Repéré au forum des métiers : premier contact à prendre.",
                    "Recommandé par un tuteur du réseau.")
PARTNER_NOTES = ("", "", "", "Parking visiteurs à l'arrière du bâtiment.", "Préférer les appels le matin.",
                 "Accueille aussi des apprentis.", "Ancien élève du lycée professionnel, très investi.",
                 "Demande un CV et une lettre de motivation.")
EXTRA_TAGS = ("alternance", "accueil 3e", "partenaire historique", "forum des métiers", "zone rurale", "QPV")
OFFER_NOTES = ("", "", "Entretien préalable avec le responsable.", "Tenue fournie.", "Arrêt de bus à proximité.",
               "Pas d'accueil pendant les soldes.")
OFFER_WEEKS = ("", "", "", "hors vacances scolaires", "semaines 3 à 6", "de la Toussaint à Noël")

VISIT_SUMMARIES = {
    "visite": ("Visite des locaux et présentation du pôle au responsable.",
               "Point sur l'accueil des élèves pendant la dernière PFMP.",
               "Rencontre avec le tuteur et l'enseignant référent.", "Présentation de la convention-cadre."),
    "telephone": ("Appel pour confirmer les places de stage de 3e.", "Relance au sujet d'une offre non confirmée.",
                  "Appel du gérant au sujet des horaires d'un élève.", "Premier contact téléphonique."),
    "courriel": ("Envoi de la plaquette du pôle et du calendrier des PFMP.",
                 "Envoi des dates de la prochaine formation des tuteurs.", "Transmission d'une attestation de stage."),
    "salon": ("Rencontre sur le stand du pôle au forum des métiers.", "Échange au salon de l'apprentissage."),
    "rencontre": ("Rencontre jeunes-entreprises : témoignage devant des élèves de 3e.",
                  "Petit-déjeuner des entreprises du bassin."),
}
VISIT_OUTCOMES = ("Accord pour deux élèves de 3e en janvier.", "À relancer après la période des soldes.",
                  "Intéressé par la formation des tuteurs.", "Pas de disponibilité avant le printemps.",
                  "Offre confirmée pour l'année.", "Souhaite accueillir un élève de bac pro.", "",
                  "Demande la liste des périodes de PFMP de chaque lycée.")
NEXT_ACTIONS = ("Relancer par téléphone", "Envoyer la convention-cadre", "Inviter à la prochaine formation des tuteurs",
                "Confirmer les dates de PFMP", "Transmettre les CV des élèves", "Mettre à jour l'offre d'accueil",
                "Organiser une visite avec l'enseignant référent")
VISITORS = ("{animator}", "{animator}", "{animator} et le DDFPT", "{animator} et une enseignante référente")

ASKER_ROLES = (("Professeur principal", "Professeure principale"),
               ("Directeur délégué (DDFPT)", "Directrice déléguée (DDFPT)"),
               ("Conseiller principal d'éducation", "Conseillère principale d'éducation"),
               ("Enseignant référent", "Enseignante référente"))
MAIL_PROVIDERS = ("orange.fr", "gmail.com", "free.fr", "laposte.net", "sfr.fr")
MOBILITY_MEANS = ("transports en commun", "à pied", "vélo", "accompagné par un parent", "scooter", "bus scolaire")
PUPIL_NEEDS = ("", "", "", "Pas de permis : structure desservie par le bus.", "Souhaite découvrir un métier manuel.",
               "Horaires compatibles avec la garde d'un petit frère.", "Timide : accueil bienveillant souhaité.")
REFUSALS = ("Pas de tuteur disponible sur la période.", "Déjà deux stagiaires accueillis.",
            "Activité trop faible en ce moment.",
            "Refus : âge minimum 16 ans.", "Locaux en travaux.", "Le gérant ne souhaite plus accueillir de collégiens.")
WITHDRAWN_REASONS = ("L'élève a trouvé un stage par ses propres moyens.", "La famille a déménagé.",
                     "Changement d'orientation de l'élève.")
UNSOLVED_REASONS = ("Aucune structure disponible sur la période dans le rayon de mobilité.",
                    "Demande reçue trop tard : période commencée.",
                    "Secteur saturé : l'élève effectue sa séquence dans l'établissement.")

ACTIVITIES = {
    A.OBSERVATION_4E_3E: ("Découverte des métiers de la structure, observation des postes de travail.",
                          "Découvrir le monde professionnel ; rendre compte de son stage à l'oral."),
    A.SECONDE_GT: ("Observation et participation à des tâches simples, entretien avec des professionnels.",
                   "Affiner son projet d'orientation ; présenter une organisation."),
    A.PFMP_CAP: ("Activités du référentiel du CAP sous la conduite du tuteur.",
                 "Blocs de compétences du CAP évalués en entreprise."),
    A.PFMP_BACPRO: ("Activités professionnelles du référentiel du bac pro, en autonomie croissante.",
                    "Compétences des blocs professionnels ; évaluation certificative en milieu professionnel."),
    A.STS: ("Missions confiées par le tuteur en lien avec le référentiel du BTS.",
            "Compétences du référentiel du BTS ; rapport de stage."),
}
MEALS = ("Repas tiré du sac, salle de pause à disposition.",
         "Repas au restaurant d'entreprise, à la charge de la famille.",
         "Repas pris sur place, offert par l'entreprise.")
TRANSPORT = ("Transports en commun, à la charge de la famille.", "Trajets à pied ou à vélo.",
             "Accompagnement par la famille.")

TRAINING_THEMES = (
    ("Accueillir un mineur en entreprise", "Cadre légal"), ("Le rôle du tuteur en PFMP", "Tutorat"),
    ("Évaluer les compétences", "Évaluation"), ("Accueillir un élève en situation de handicap", "Inclusion"),
    ("La convention de stage pas à pas", "Cadre légal"),
    ("Prévenir les risques professionnels des jeunes", "Santé et sécurité"),
    ("Accueillir un collégien en séquence d'observation", "Observation"),
    ("Travailler avec l'enseignant référent", "Tutorat"), ("Réussir le stage de seconde", "Observation"),
    ("Transmettre un geste professionnel", "Tutorat"),
    ("Lutter contre les discriminations dans l'accès aux stages", "Égalité des chances"),
    ("Le rôle du tuteur en PFMP", "Tutorat"),
)
TRAINING_PLACES = ("{school}, salle de conférence", "Chambre de métiers et de l'artisanat, {seat}",
                   "Maison de l'entreprise, {seat}", "Locaux du pôle de stages, {seat}")

ACTIONS = (
    ("1", "Zéro élève de 3e sans stage", "Recenser en décembre les élèves sans solution et leur proposer une "
     "structure du réseau.", "Part des sollicitations de 3e résolues"),
    ("1", "Sécuriser les PFMP des élèves de CAP en éducation prioritaire", "Suivi renforcé des sollicitations "
     "des établissements REP et REP+.", "Sollicitations des établissements REP et REP+ résolues"),
    ("1", "Accompagner vers les stages les élèves en situation de handicap", "Repérer les structures accessibles et "
     "préparer l'accueil avec les familles.", "Élèves avec PAI ou handicap placés"),
    ("2", "Forum entreprises–établissements du bassin", "Une matinée d'échanges entre chefs d'entreprise, DDFPT et "
     "professeurs principaux.", "Nouveaux partenaires"),
    ("2", "Prospection commerce et restauration", "Campagne de visites dans les secteurs qui manquent de places.",
     "Offres et places disponibles"),
    ("2", "Rencontres jeunes-entreprises en zone rurale", "Témoignages de professionnels dans les collèges éloignés "
     "des zones d'activité.", "Visites réalisées"),
    ("3", "Charte qualité de l'accueil en PFMP", "Rédiger avec les partenaires une charte d'accueil et la faire "
     "signer.", "Conventions signées"),
    ("3", "Une session de formation des tuteurs par mois", "Programme annuel de formation des tuteurs, avec "
     "attestation.", "Tuteurs formés"),
    ("3", "Enquête de satisfaction des structures d'accueil", "Questionnaire en fin d'année et bilan en comité de "
     "pilotage.", "Taux de réponse à l'enquête"),
)

BASSINS: tuple[BassinSpec, ...] = (
    BassinSpec("NM-01", "Bar-le-Duc", (
        ("Bar-le-Duc", "55000", 14), ("Ligny-en-Barrois", "55500", 4), ("Commercy", "55200", 5),
        ("Saint-Mihiel", "55300", 3), ("Revigny-sur-Ornain", "55800", 3), ("Fains-Véel", "55000", 2),
        ("Behonne", "55000", 1), ("Longeville-en-Barrois", "55000", 1), ("Savonnières-devant-Bar", "55000", 1),
        ("Tronville-en-Barrois", "55310", 1), ("Ancerville", "55170", 2), ("Gondrecourt-le-Château", "55130", 1),
        ("Euville", "55200", 1), ("Vaucouleurs", "55140", 2), ("Void-Vacon", "55190", 1))),
    BassinSpec("NM-02", "Épinal", (
        ("Épinal", "88000", 14), ("Golbey", "88190", 4), ("Chantraine", "88000", 2), ("Thaon-les-Vosges", "88150", 3),
        ("Charmes", "88130", 2), ("Rambervillers", "88700", 2), ("Bruyères", "88600", 1), ("Xertigny", "88220", 1),
        ("Mirecourt", "88500", 2), ("Vittel", "88800", 2), ("Contrexéville", "88140", 1), ("Remiremont", "88200", 3),
        ("Saint-Nabord", "88200", 1), ("Éloyes", "88510", 1), ("Deyvillers", "88000", 1), ("Dogneville", "88000", 1),
        ("Uxegney", "88390", 1), ("Nomexy", "88440", 1), ("Châtel-sur-Moselle", "88330", 1))),
    BassinSpec("NM-03", "Forbach", (
        ("Forbach", "57600", 12), ("Stiring-Wendel", "57350", 3), ("Freyming-Merlebach", "57800", 4),
        ("Saint-Avold", "57500", 6), ("Creutzwald", "57150", 3), ("Behren-lès-Forbach", "57460", 2),
        ("Farébersviller", "57450", 2), ("Hombourg-Haut", "57470", 2), ("Petite-Rosselle", "57540", 1),
        ("L'Hôpital", "57490", 1), ("Carling", "57490", 1), ("Faulquemont", "57380", 2), ("Boulay-Moselle", "57220", 2),
        ("Schœneck", "57350", 1), ("Spicheren", "57350", 1), ("Morsbach", "57600", 1), ("Cocheren", "57800", 1))),
    BassinSpec("NM-04", "Longwy", (
        ("Longwy", "54400", 10), ("Mont-Saint-Martin", "54350", 3), ("Villerupt", "54190", 3),
        ("Herserange", "54440", 2),
        ("Réhon", "54430", 1), ("Longuyon", "54260", 2), ("Hussigny-Godbrange", "54590", 1), ("Saulnes", "54650", 1),
        ("Lexy", "54720", 1), ("Cosnes-et-Romain", "54400", 1), ("Haucourt-Moulaine", "54860", 1),
        ("Audun-le-Roman", "54560", 1), ("Val de Briey", "54150", 4), ("Jœuf", "54240", 2), ("Homécourt", "54310", 2),
        ("Jarny", "54800", 3), ("Conflans-en-Jarnisy", "54800", 1), ("Piennes", "54490", 1))),
    BassinSpec("NM-05", "Lunéville", (
        ("Lunéville", "54300", 12), ("Moncel-lès-Lunéville", "54300", 1), ("Chanteheux", "54300", 1),
        ("Jolivet", "54300", 1), ("Dombasle-sur-Meurthe", "54110", 4), ("Rosières-aux-Salines", "54110", 1),
        ("Blainville-sur-l'Eau", "54360", 2), ("Damelevières", "54360", 1), ("Baccarat", "54120", 3),
        ("Blâmont", "54450", 1), ("Badonviller", "54540", 1), ("Cirey-sur-Vezouze", "54480", 1),
        ("Einville-au-Jard", "54370", 1), ("Gerbéviller", "54830", 1), ("Bayon", "54290", 1))),
    BassinSpec("NM-06", "Metz", (
        ("Metz", "57000", 16), ("Metz", "57050", 4), ("Metz", "57070", 4), ("Montigny-lès-Metz", "57950", 5),
        ("Woippy", "57140", 3), ("Marly", "57155", 3), ("Saint-Julien-lès-Metz", "57070", 2),
        ("Le Ban-Saint-Martin", "57050", 1), ("Longeville-lès-Metz", "57050", 1), ("Moulins-lès-Metz", "57160", 2),
        ("Scy-Chazelles", "57160", 1), ("Ars-sur-Moselle", "57130", 1), ("Augny", "57685", 2), ("Peltre", "57245", 1),
        ("Ennery", "57365", 1), ("Courcelles-Chaussy", "57530", 1), ("Marange-Silvange", "57535", 1),
        ("Vantoux", "57070", 1), ("Verny", "57420", 1))),
    BassinSpec("NM-07", "Nancy", (
        ("Nancy", "54000", 22), ("Nancy", "54100", 6), ("Vandœuvre-lès-Nancy", "54500", 8), ("Laxou", "54520", 4),
        ("Villers-lès-Nancy", "54600", 3), ("Malzéville", "54220", 2), ("Maxéville", "54320", 3),
        ("Tomblaine", "54510", 2), ("Essey-lès-Nancy", "54270", 3), ("Saint-Max", "54130", 2),
        ("Jarville-la-Malgrange", "54140", 2), ("Heillecourt", "54180", 2), ("Houdemont", "54180", 3),
        ("Ludres", "54710", 2), ("Fléville-devant-Nancy", "54710", 2), ("Pont-à-Mousson", "54700", 5),
        ("Blénod-lès-Pont-à-Mousson", "54700", 1), ("Dieulouard", "54380", 1), ("Frouard", "54390", 2),
        ("Pompey", "54340", 2), ("Champigneulles", "54250", 2), ("Liverdun", "54460", 1),
        ("Bouxières-aux-Dames", "54136", 1), ("Custines", "54670", 1), ("Neuves-Maisons", "54230", 2),
        ("Chaligny", "54230", 1), ("Seichamps", "54280", 2), ("Pulnoy", "54425", 1),
        ("Saulxures-lès-Nancy", "54420", 1),
        ("Laneuveville-devant-Nancy", "54410", 1), ("Art-sur-Meurthe", "54510", 1),
        ("Saint-Nicolas-de-Port", "54210", 2), ("Nomeny", "54610", 1))),
    BassinSpec("NM-08", "Saint-Dié-des-Vosges", (
        ("Saint-Dié-des-Vosges", "88100", 12), ("Sainte-Marguerite", "88100", 2),
        ("Saint-Michel-sur-Meurthe", "88470", 1),
        ("Raon-l'Étape", "88110", 3), ("Senones", "88210", 1), ("Moyenmoutier", "88420", 1),
        ("Étival-Clairefontaine", "88480", 1), ("Fraize", "88230", 2), ("Anould", "88650", 1), ("Corcieux", "88430", 1),
        ("Gérardmer", "88400", 4), ("Granges-Aumontzey", "88640", 1), ("Le Tholy", "88530", 1))),
    BassinSpec("NM-09", "Sarrebourg", (
        ("Sarrebourg", "57400", 12), ("Réding", "57445", 2), ("Buhl-Lorraine", "57400", 1), ("Imling", "57400", 1),
        ("Phalsbourg", "57370", 3), ("Dieuze", "57260", 3), ("Château-Salins", "57170", 2), ("Morhange", "57340", 2),
        ("Lorquin", "57790", 1), ("Abreschviller", "57560", 1), ("Fénétrange", "57930", 1), ("Héming", "57830", 1),
        ("Delme", "57590", 1), ("Vic-sur-Seille", "57630", 1), ("Dabo", "57850", 1), ("Albestroff", "57670", 1))),
    BassinSpec("NM-10", "Sarreguemines", (
        ("Sarreguemines", "57200", 12), ("Woustviller", "57915", 1), ("Hambach", "57910", 2),
        ("Sarreinsming", "57115", 1),
        ("Neufgrange", "57910", 1), ("Grosbliederstroff", "57520", 1), ("Rouhling", "57520", 1),
        ("Puttelange-aux-Lacs", "57510", 2), ("Sarralbe", "57430", 2), ("Bitche", "57230", 4),
        ("Rohrbach-lès-Bitche", "57410", 1), ("Lemberg", "57620", 1), ("Enchenberg", "57415", 1),
        ("Remelfing", "57200", 1), ("Zetting", "57905", 1))),
    BassinSpec("NM-11", "Thionville", (
        ("Thionville", "57100", 14), ("Yutz", "57970", 4), ("Hayange", "57700", 4), ("Fameck", "57290", 3),
        ("Florange", "57190", 3), ("Uckange", "57270", 2), ("Terville", "57180", 2), ("Algrange", "57440", 1),
        ("Nilvange", "57240", 1), ("Guénange", "57310", 1), ("Hettange-Grande", "57330", 2), ("Cattenom", "57570", 1),
        ("Sierck-les-Bains", "57480", 1), ("Bouzonville", "57320", 1), ("Talange", "57525", 2),
        ("Hagondange", "57300", 2), ("Amnéville", "57360", 2), ("Rombas", "57120", 2), ("Mondelange", "57300", 1),
        ("Maizières-lès-Metz", "57280", 2), ("Kœnigsmacker", "57970", 1), ("Manom", "57100", 1))),
    BassinSpec("NM-12", "Toul", (
        ("Toul", "54200", 12), ("Écrouves", "54200", 2), ("Dommartin-lès-Toul", "54200", 2),
        ("Chaudeney-sur-Moselle", "54200", 1), ("Foug", "54570", 2), ("Gondreville", "54840", 1),
        ("Fontenoy-sur-Moselle", "54840", 1), ("Colombey-les-Belles", "54170", 1), ("Vézelise", "54330", 1),
        ("Blénod-lès-Toul", "54113", 1), ("Domgermain", "54119", 1), ("Villey-Saint-Étienne", "54200", 1))),
    BassinSpec("NM-13", "Verdun", (
        ("Verdun", "55100", 14), ("Thierville-sur-Meuse", "55840", 2), ("Belleville-sur-Meuse", "55430", 2),
        ("Dieue-sur-Meuse", "55320", 1), ("Étain", "55400", 2), ("Stenay", "55700", 2), ("Montmédy", "55600", 1),
        ("Dun-sur-Meuse", "55110", 1), ("Clermont-en-Argonne", "55120", 1), ("Bouligny", "55240", 1),
        ("Spincourt", "55230", 1), ("Varennes-en-Argonne", "55270", 1), ("Souilly", "55220", 1),
        ("Vigneulles-lès-Hattonchâtel", "55210", 1))),
)
POLE_BASSIN = "NM-07"
"""The bassin of the pole-scale demo (Nancy)."""

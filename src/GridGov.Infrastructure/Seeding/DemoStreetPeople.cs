using System.Globalization;
using GridGov.Domain.Ledgers;

namespace GridGov.Infrastructure.Seeding;

/// <summary>
/// Makes the members of a household: a family shape that fits the household kind, ages that give an
/// ageing old-city population pyramid, valid and unique ID numbers, names of the right generation,
/// and group tags (特殊群体) at realistic rates.
/// </summary>
internal sealed class DemoStreetPeople(Random random, DateOnly today)
{
    // Household sizes (weights for 1..n people): settled families average ~2.6, renters ~2.0.
    private static readonly int[] SettledSizes = DemoStreetNames.Cumulative([20, 31, 29, 12, 6, 2]);
    private static readonly int[] RentalSizes = DemoStreetNames.Cumulative([35, 33, 24, 8]);

    // Address codes (GB/T 2260) of ID numbers. Gusu (320508) was formed in 2012 from 沧浪, 平江 and
    // 金阊; numbers issued before keep the old districts' codes.
    private static readonly string[] OldCityCodes = ["320502", "320503", "320504"];
    private static readonly int[] OldCityWeights = DemoStreetNames.Cumulative([37, 34, 29]);
    private static readonly string[] SuzhouCodes = ["320505", "320506", "320507", "320509", "320581", "320582", "320583", "320585"];
    private static readonly string[] JiangsuCodes =
    [
        "320102", "320106", "320211", "320402", "320321", "320322", "320324", "320382", "320723", "320826", "320923", "321323",
        "321324", "321002", "320681",
    ];
    private static readonly string[] OtherProvinceCodes =
    [
        "341221", "341222", "341225", "341321", "341322", "340421", "341521", "340822", "411522", "411524", "412726", "411421",
        "411721", "510921", "511321", "511623", "360124", "361127", "421182", "420984", "371321", "330327", "522422", "430524",
        "431022", "500233", "500236",
    ];
    private const string GusuCode = DemoStreetNames.CountyCode;
    private const int GusuFoundedYear = 2012;

    /// <summary>First 17 digits of every number handed out, so no two residents share one.</summary>
    private readonly HashSet<long> _issuedIdNumbers = [];

    /// <summary>The members of a new household; the first is its head.</summary>
    public List<Resident> HouseholdMembers(HouseholdKind kind, int gridId, int householdId)
    {
        var members = kind == HouseholdKind.Rental ? RentalFamily() : SettledFamily();
        var (populationKind, homeCode) = Origin(kind);
        var onAllowance = kind != HouseholdKind.Rental && Chance(0.01);   // 低保户, ~1% of people
        var inHardship = onAllowance ? Chance(0.5) : Chance(0.008);        // 困难户
        var elderlyAlone = members.Count == 1 && members[0].Age >= 60;
        var emptyNest = members.Count == 2 && members.TrueForAll(m => m.Age >= 60);

        var residents = new List<Resident>(members.Count);
        foreach (var member in members)
        {
            var birthDate = today.AddYears(-member.Age).AddDays(-random.Next(365));
            var addressCode = AddressCode(populationKind, homeCode, birthDate.Year, isHead: residents.Count == 0);
            var idNumber = NewIdNumber(addressCode, birthDate, member.Sex);
            var name = member.Surname + DemoStreetNames.GivenName(member.Sex, birthDate.Year, random);
            var resident = new Resident(gridId, householdId, name, idNumber, Phone(member.Age), populationKind);

            TagPerson(resident, member, populationKind);
            if (elderlyAlone)
            {
                resident.Tag(ResidentGroup.ElderlyLivingAlone);
            }
            if (emptyNest)
            {
                resident.Tag(ResidentGroup.EmptyNestElderly);
            }
            if (onAllowance)
            {
                resident.Tag(ResidentGroup.SubsistenceAllowance);
            }
            if (inHardship)
            {
                resident.Tag(ResidentGroup.Hardship);
            }
            var needsKeyAssistance = (resident.Groups.Contains(ResidentGroup.Disabled) && (onAllowance || elderlyAlone)) || Chance(0.002);
            if (needsKeyAssistance)
            {
                resident.Tag(ResidentGroup.KeyAssistance);
            }
            residents.Add(resident);
        }
        return residents;
    }

    /// <summary>
    /// A valid, unused ID number: the 3-digit sequence is odd for men and even for women, starting
    /// at a random value and stepping by two past numbers already issued.
    /// </summary>
    public IdNumber NewIdNumber(string addressCode, DateOnly birthDate, Sex sex)
    {
        var prefix = long.Parse(addressCode, CultureInfo.InvariantCulture) * 100_000_000_000L
            + (birthDate.Year * 10_000L + birthDate.Month * 100 + birthDate.Day) * 1_000L;
        var sequence = random.Next(500) * 2 + (sex == Sex.Male ? 1 : 0);
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if (_issuedIdNumbers.Add(prefix + sequence))
            {
                return IdNumber.Create(addressCode, birthDate, sequence);
            }
            sequence = (sequence + 2) % 1000;
        }
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"All ID sequence numbers for {addressCode} born {birthDate:yyyy-MM-dd} are taken."));
    }

    private readonly record struct Member(int Age, Sex Sex, string Surname);

    /// <summary>Registered and separated households: from elderly living alone to three generations.</summary>
    private List<Member> SettledFamily()
    {
        var family = DemoStreetNames.Surname(random);
        var size = DemoStreetNames.Pick(SettledSizes, random) + 1;
        switch (size)
        {
            case 1:
                // Few elderly live alone (~3% of the elderly); most one-person households are working age.
                return Chance(0.085)
                    ? [new(ElderAge(62, 95), Chance(0.65) ? Sex.Female : Sex.Male, family)]
                    : [new(Between(22, 59), RandomSex(), family)];
            case 2:
                var shape = random.NextDouble();
                if (shape < 0.5)
                {
                    return Couple(family, ElderAge(60, 92));   // 空巢老人
                }
                if (shape < 0.87)
                {
                    return Couple(family, Between(23, 59));
                }
                var parent = new Member(Between(35, 60), RandomSex(), family);
                return [parent, Child(parent.Age, family, maxAge: 25)];
            case 3:
                if (Chance(0.65))
                {
                    var parents = Couple(family, Between(30, 58));
                    return [.. parents, Child(parents[1].Age, family, maxAge: 28)];
                }
                if (Chance(0.6))
                {
                    var elders = Couple(family, ElderAge(58, 82));
                    return [.. elders, Child(elders[1].Age, family, minAge: 25, maxAge: 40)];
                }
                var couple = Couple(family, Between(28, 50));
                return [.. couple, Grandparent(couple[0].Age, family)];
            case 4:
                var middle = Couple(family, Between(33, 56));
                return Chance(0.5)
                    ? [.. middle, Child(middle[1].Age, family, maxAge: 25), Child(middle[1].Age, family, maxAge: 25)]
                    : [.. middle, Child(middle[1].Age, family, maxAge: 25), Grandparent(middle[0].Age, family)];
            default:
                // Three generations; in half of them the grandfather is the head (it is his home).
                var adults = Couple(family, Between(30, 48));
                var grandfather = new Member(Math.Min(95, adults[0].Age + Between(24, 34)), Sex.Male, family);
                var grandmother = new Member(Math.Max(50, grandfather.Age - Between(0, 5)), Sex.Female, DemoStreetNames.Surname(random));
                List<Member> members = Chance(0.5) ? [grandfather, grandmother, .. adults] : [.. adults, grandfather, grandmother];
                for (var i = members.Count; i < size; i++)
                {
                    members.Add(Child(adults[1].Age, family, maxAge: 20));
                }
                return members;
        }
    }

    /// <summary>Renting households (租房户): young adults, couples and young families.</summary>
    private List<Member> RentalFamily()
    {
        var family = DemoStreetNames.Surname(random);
        var size = DemoStreetNames.Pick(RentalSizes, random) + 1;
        switch (size)
        {
            case 1:
                return [new(Between(19, 40), RandomSex(), family)];
            case 2:
                if (Chance(0.7))
                {
                    return Couple(family, Between(22, 40));
                }
                var sex = RandomSex();
                return [new(Between(20, 35), sex, family), new(Between(20, 35), sex, DemoStreetNames.Surname(random))];
            case 3:
                var parents = Couple(family, Between(25, 42));
                return [.. parents, Child(parents[1].Age, family, maxAge: 12)];
            default:
                var couple = Couple(family, Between(27, 45));
                return Chance(0.6)
                    ? [.. couple, Child(couple[1].Age, family, maxAge: 15), Child(couple[1].Age, family, maxAge: 15)]
                    : [.. couple, Child(couple[1].Age, family, maxAge: 15), Grandparent(couple[0].Age, family)];
        }
    }

    private List<Member> Couple(string family, int husbandAge)
    {
        var wifeAge = Math.Clamp(husbandAge - Between(-2, 6), 20, 95);
        return [new(husbandAge, Sex.Male, family), new(wifeAge, Sex.Female, DemoStreetNames.Surname(random))];
    }

    /// <summary>A child still living at home; city mothers have their children at 23–35.</summary>
    private Member Child(int motherAge, string family, int maxAge, int minAge = 0)
    {
        var age = motherAge - Between(23, 35);
        if (age < minAge || age > maxAge)
        {
            age = Between(minAge, Math.Clamp(motherAge - 20, minAge, maxAge));
        }
        return new(age, RandomSex(), Chance(0.95) ? family : DemoStreetNames.Surname(random));
    }

    /// <summary>A widowed grandparent living with the family, usually the husband's parent.</summary>
    private Member Grandparent(int parentAge, string family) =>
        new(Math.Min(95, parentAge + Between(24, 34)), Chance(0.65) ? Sex.Female : Sex.Male, Chance(0.5) ? family : DemoStreetNames.Surname(random));

    /// <summary>Elderly ages thin out with age (more people in their sixties than their eighties).</summary>
    private int ElderAge(int youngest, int oldest) =>
        youngest + (int)((oldest - youngest + 1) * Math.Pow(random.NextDouble(), 1.6));

    /// <summary>Registered here, or floating/temporary with a home place elsewhere (by household kind).</summary>
    private (PopulationKind Kind, string HomeCode) Origin(HouseholdKind kind)
    {
        switch (kind)
        {
            case HouseholdKind.RegisteredAndResident:
                return (PopulationKind.Registered, GusuCode);
            case HouseholdKind.Separated when Chance(0.5):
                return (PopulationKind.Registered, GusuCode);   // 户在人不在
            case HouseholdKind.Separated:
                return (PopulationKind.Floating, Chance(0.6) ? OneOf(SuzhouCodes) : OneOf(JiangsuCodes)); // 人在户不在
            default:
                var home = random.NextDouble() switch
                {
                    < 0.08 => OneOf(SuzhouCodes),
                    < 0.25 => OneOf(JiangsuCodes),
                    _ => OneOf(OtherProvinceCodes),
                };
                return (Chance(0.6) ? PopulationKind.Temporary : PopulationKind.Floating, home);
        }
    }

    private string AddressCode(PopulationKind kind, string homeCode, int birthYear, bool isHead)
    {
        if (kind != PopulationKind.Registered)
        {
            // Family members mostly come from the same place as the head.
            return isHead || Chance(0.7) ? homeCode : OneOf(Chance(0.5) ? JiangsuCodes : OtherProvinceCodes);
        }
        return random.NextDouble() switch
        {
            < 0.85 when birthYear > GusuFoundedYear => GusuCode,
            < 0.85 => OldCityCodes[DemoStreetNames.Pick(OldCityWeights, random)],
            < 0.93 => OneOf(SuzhouCodes),
            < 0.98 => OneOf(JiangsuCodes),
            _ => OneOf(OtherProvinceCodes),  // moved their registration here
        };
    }

    /// <summary>Adults have a mobile phone; some teenagers and not all of the very old.</summary>
    private string? Phone(int age) => age switch
    {
        >= 80 when Chance(0.4) => null,
        >= 18 => DemoStreetNames.MobilePhone(random),
        >= 14 when Chance(0.4) => DemoStreetNames.MobilePhone(random),
        _ => null,
    };

    /// <summary>Person-level tags at rates seen in community ledgers; the sensitive ones are rare (0.05–0.2%).</summary>
    private void TagPerson(Resident resident, Member member, PopulationKind kind)
    {
        var age = member.Age;
        var adult = age >= 18;
        var partyRate = age switch { < 18 => 0, < 36 => 0.05, < 60 => 0.08, _ => 0.12 };
        if (Chance(partyRate))
        {
            resident.Tag(ResidentGroup.PartyMember);
        }
        // Most over 60 draw a pension; many women retire at 50 or 55.
        var retired = (age >= 60 && Chance(kind == PopulationKind.Registered ? 0.88 : 0.6))
            || (age >= 50 && member.Sex == Sex.Female && Chance(0.35));
        if (retired)
        {
            resident.Tag(ResidentGroup.Retired);
        }
        if (Chance(age switch { < 18 => 0.008, < 60 => 0.012, _ => 0.045 }))
        {
            resident.Tag(ResidentGroup.Disabled);
        }
        if (Chance(age >= 60 && member.Sex == Sex.Male ? 0.025 : adult ? 0.003 : 0))
        {
            resident.Tag(ResidentGroup.Entitled);
        }
        if (age is >= 20 and < 60 && !retired && Chance(kind == PopulationKind.Registered ? 0.02 : 0.03))
        {
            resident.Tag(ResidentGroup.Unemployed);
        }
        if (adult && Chance(0.0008))
        {
            resident.Tag(ResidentGroup.CommunityCorrection);
        }
        if (age is >= 25 and < 70 && Chance(member.Sex == Sex.Male ? 0.0017 : 0.0003))
        {
            resident.Tag(ResidentGroup.ReleasedPrisonerSupport);
        }
        if (age is >= 18 and < 65 && Chance(0.0009))
        {
            resident.Tag(ResidentGroup.DrugRehabilitation);
        }
        if (age >= 12 && Chance(0.002))
        {
            resident.Tag(ResidentGroup.MentalDisorder);
        }
    }

    private bool Chance(double probability) => random.NextDouble() < probability;

    private int Between(int min, int max) => random.Next(min, max + 1);

    private Sex RandomSex() => random.Next(2) == 0 ? Sex.Male : Sex.Female;

    private string OneOf(string[] values) => values[random.Next(values.Length)];
}

C360.tokens("6465",["deepak",16,"deepak",17,"deepak@gmail.com",18,"delhi",44,"delhi",56]);

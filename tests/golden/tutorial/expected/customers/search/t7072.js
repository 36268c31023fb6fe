C360.tokens("7072",["priya",16,"priya",17,"priya.r@hotmail.com",18]);

C360.tokens("7072",["priya",44,"priya",45,"priya.r@hotmail.com",46]);
